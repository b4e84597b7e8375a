package io.ibllm.media.points;

import io.ibllm.io.FormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** The body of an ASCII PLY: one element row per line, list properties prefixed by their length. */
final class PlyAscii {
    private PlyAscii() {}

    static PointCloud read(Path file, MemorySegment body, List<PlyReader.Element> elements) {
        PlyReader.Element vertex = PlyReader.vertexElement(file, elements);
        if (body.byteSize() > Integer.MAX_VALUE - 8) throw new FormatException(file, "ASCII PLY body too large (over 2 GB)");
        String[] lines = new String(body.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1).split("\r?\n");
        int line = 0;
        for (PlyReader.Element e : elements) {
            if (e == vertex) break;
            if (e.count() > lines.length - line) throw truncated(file, e);
            line += (int) e.count();
        }
        if (vertex.count() > lines.length - line) throw truncated(file, vertex);
        int[] idx = {vertex.index("x"), vertex.index("y"), vertex.index("z")};
        float[] xyz = new float[Math.toIntExact(3 * vertex.count())];
        for (int r = 0; r < vertex.count(); r++, line++) {
            String[] tok = lines[line].strip().split("\\s+");
            int[] start = tokenStarts(file, line, tok, vertex);
            for (int k = 0; k < 3; k++) xyz[3 * r + k] = TextPoints.parse(file, line + 1, tok[start[idx[k]]]);
        }
        return new PointCloud(xyz);
    }

    /** Index of the first token of each property on a row. */
    private static int[] tokenStarts(Path file, int line, String[] tok, PlyReader.Element e) {
        int[] start = new int[e.props().size()];
        int t = 0;
        for (int i = 0; i < start.length; i++) {
            start[i] = t;
            if (t >= tok.length) throw new FormatException(file, "PLY body line " + (line + 1) + " has too few values");
            t += e.props().get(i).listCount() == null ? 1 : 1 + (int) TextPoints.parse(file, line + 1, tok[t]);
        }
        return start;
    }

    private static FormatException truncated(Path file, PlyReader.Element e) {
        return new FormatException(file, "truncated PLY: fewer lines than the " + e.count() + " '" + e.name() + "' rows declared");
    }
}
