package io.ibllm.media.points;

import io.ibllm.io.FormatException;
import io.ibllm.io.Mapped;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Stanford PLY, ASCII or binary (little/big endian): the x, y, z properties of the "vertex"
 * element, any numeric type. Other vertex properties (normals, colours) and other elements
 * (faces, ...) are skipped; element counts are checked against the bytes the file holds.
 */
final class PlyReader {
    private static final int MAX_HEADER = 1 << 16;

    record Property(String name, PlyType type, PlyType listCount) {}

    record Element(String name, long count, List<Property> props) {
        int index(String prop) {
            for (int i = 0; i < props.size(); i++) if (props.get(i).name.equals(prop)) return i;
            return -1;
        }

        boolean hasLists() {
            return props.stream().anyMatch(p -> p.listCount != null);
        }
    }

    private PlyReader() {}

    static PointCloud read(Path file) {
        try (Mapped m = Mapped.open(file)) {
            MemorySegment s = m.segment();
            int headerEnd = headerEnd(file, s);
            String header = new String(s.asSlice(0, headerEnd).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1);
            String format = null;
            List<Element> elements = new ArrayList<>();
            for (String line : header.split("\r?\n")) format = headerLine(file, line.strip(), elements, format);
            if (format == null) throw new FormatException(file, "PLY header has no format line");
            MemorySegment body = s.asSlice(headerEnd);
            return switch (format) {
                case "ascii" -> PlyAscii.read(file, body, elements);
                case "binary_little_endian" -> binary(file, body, elements, ByteOrder.LITTLE_ENDIAN);
                case "binary_big_endian" -> binary(file, body, elements, ByteOrder.BIG_ENDIAN);
                default -> throw new FormatException(file, "unknown PLY format '" + format + "'");
            };
        }
    }

    /** Offset just past the "end_header" line. */
    private static int headerEnd(Path file, MemorySegment s) {
        long limit = Math.min(s.byteSize(), MAX_HEADER);
        if (limit < 4 || !new String(s.asSlice(0, 4).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1).matches("ply\\s")) {
            throw new FormatException(file, "not a PLY file (no 'ply' magic)");
        }
        byte[] head = s.asSlice(0, limit).toArray(ValueLayout.JAVA_BYTE);
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("end_header");
        if (at < 0) throw new FormatException(file, "PLY header has no end_header in its first " + MAX_HEADER + " bytes");
        int nl = text.indexOf('\n', at);
        if (nl < 0) throw new FormatException(file, "PLY file ends inside its header");
        return nl + 1;
    }

    private static String headerLine(Path file, String line, List<Element> elements, String format) {
        String[] w = line.split("\\s+");
        switch (w[0]) {
            case "format" -> {
                if (w.length < 2) throw new FormatException(file, "bad PLY line '" + line + "'");
                return w[1];
            }
            case "element" -> {
                if (w.length != 3) throw new FormatException(file, "bad PLY line '" + line + "'");
                long count;
                try {
                    count = Long.parseLong(w[2]);
                } catch (NumberFormatException e) {
                    count = -1;
                }
                if (count < 0) throw new FormatException(file, "bad PLY element count '" + w[2] + "'");
                elements.add(new Element(w[1], count, new ArrayList<>()));
            }
            case "property" -> {
                if (elements.isEmpty()) throw new FormatException(file, "PLY property before any element");
                boolean list = w.length == 5 && w[1].equals("list");
                if (!list && w.length != 3) throw new FormatException(file, "bad PLY line '" + line + "'");
                Property p = list ? new Property(w[4], PlyType.of(file, w[3]), PlyType.of(file, w[2]))
                        : new Property(w[2], PlyType.of(file, w[1]), null);
                elements.getLast().props.add(p);
            }
            default -> { } // ply, comment, obj_info, end_header
        }
        return format;
    }

    static Element vertexElement(Path file, List<Element> elements) {
        for (Element e : elements) {
            if (e.name.equals("vertex")) {
                if (e.index("x") < 0 || e.index("y") < 0 || e.index("z") < 0) {
                    throw new FormatException(file, "PLY vertex element lacks x, y or z");
                }
                return e;
            }
        }
        throw new FormatException(file, "PLY file has no vertex element");
    }

    private static PointCloud binary(Path file, MemorySegment body, List<Element> elements, ByteOrder order) {
        Element vertex = vertexElement(file, elements);
        long off = 0;
        for (Element e : elements) {
            if (e == vertex) return binaryVertices(file, body, off, e, order);
            for (long r = 0; r < e.count; r++) off = row(file, body, off, e, order)[e.props.size()];
        }
        throw new IllegalStateException("unreachable");
    }

    /** Start offsets of each property of the row at {@code off}, then the row's end; checked against the body. */
    private static long[] row(Path file, MemorySegment body, long off, Element e, ByteOrder order) {
        long[] at = new long[e.props.size() + 1];
        at[0] = off;
        for (int i = 0; i < e.props.size(); i++) {
            Property p = e.props.get(i);
            long size = p.type.bytes;
            if (p.listCount != null) {
                need(file, body, at[i] + p.listCount.bytes);
                double n = p.listCount.read(body, at[i], order);
                if (n < 0) throw new FormatException(file, "negative PLY list length in element '" + e.name + "'");
                size = p.listCount.bytes + (long) n * p.type.bytes;
            }
            at[i + 1] = at[i] + size;
            need(file, body, at[i + 1]);
        }
        return at;
    }

    private static PointCloud binaryVertices(Path file, MemorySegment body, long off, Element e, ByteOrder order) {
        int[] idx = {e.index("x"), e.index("y"), e.index("z")};
        for (int k : idx) {
            if (e.props.get(k).listCount != null) throw new FormatException(file, "PLY vertex property " + e.props.get(k).name + " is a list");
        }
        long minRow = e.props.stream().mapToLong(p -> p.listCount == null ? p.type.bytes : p.listCount.bytes).sum();
        if (e.count > (body.byteSize() - off) / minRow) {
            throw new FormatException(file, "truncated PLY: " + e.count + " vertices declared, the file holds at most "
                    + (body.byteSize() - off) / minRow);
        }
        float[] xyz = new float[Math.toIntExact(3 * e.count)];
        for (int r = 0; r < e.count; r++) {
            long[] at = row(file, body, off, e, order);
            for (int k = 0; k < 3; k++) xyz[3 * r + k] = (float) e.props.get(idx[k]).type.read(body, at[idx[k]], order);
            off = at[e.props.size()];
        }
        return new PointCloud(xyz);
    }

    private static void need(Path file, MemorySegment body, long end) {
        if (end > body.byteSize()) throw new FormatException(file, "truncated PLY: data ends before the declared elements");
    }
}
