package io.ibllm.media.points;

import io.ibllm.io.FormatException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Text point clouds. Column files (.xyz, .pts, .txt, .csv): one point per line, the first three
 * of its whitespace- or comma-separated numbers are x, y, z; blank lines and '#' or '//'
 * comments are skipped, and so is a leading line holding a single integer (the point count of
 * .pts files) or a header row (a first line whose first field is a name, e.g. "x,y,z"). Wavefront .obj: the {@code v x y z [w]} lines, as the reference reads them.
 */
final class TextPoints {
    private static final Pattern SEPARATORS = Pattern.compile("[\\s,;]+");

    private TextPoints() {}

    static PointCloud readColumns(Path file) {
        FloatList xyz = new FloatList();
        int lineNo = 0;
        boolean seenData = false;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                String s = line.strip();
                if (s.isEmpty() || s.startsWith("#") || s.startsWith("//")) continue;
                String[] cols = SEPARATORS.split(s);
                if (!seenData && cols.length == 1 && s.matches("\\d+")) continue; // .pts point count
                if (!seenData && isHeader(cols[0])) { // a header row: x,y,z
                    seenData = true;
                    continue;
                }
                seenData = true;
                if (cols.length < 3) throw new FormatException(file, "line " + lineNo + " has " + cols.length + " values, need x y z");
                for (int k = 0; k < 3; k++) xyz.add(parse(file, lineNo, cols[k]));
            }
        } catch (IOException e) {
            throw new FormatException(file, "cannot read: " + e.getMessage());
        }
        return new PointCloud(xyz.toArray());
    }

    static PointCloud readObj(Path file) {
        FloatList xyz = new FloatList();
        int lineNo = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                String s = line.strip();
                if (!s.startsWith("v ") && !s.startsWith("v\t")) continue; // vn, vt, f, ... are not points
                String[] cols = SEPARATORS.split(s);
                if (cols.length < 4) throw new FormatException(file, "line " + lineNo + ": vertex needs x y z");
                for (int k = 1; k <= 3; k++) xyz.add(parse(file, lineNo, cols[k]));
            }
        } catch (IOException e) {
            throw new FormatException(file, "cannot read: " + e.getMessage());
        }
        return new PointCloud(xyz.toArray());
    }

    private static boolean isHeader(String first) {
        if (first.matches("(?i)[+-]?(nan|inf|infinity)")) return false;
        try {
            Double.parseDouble(first);
            return false;
        } catch (NumberFormatException e) {
            return true;
        }
    }

    static float parse(Path file, int lineNo, String token) {
        try {
            return (float) Double.parseDouble(token);
        } catch (NumberFormatException e) {
            String t = token.length() > 20 ? token.substring(0, 20) + "..." : token;
            throw new FormatException(file, "line " + lineNo + ": '" + t + "' is not a number");
        }
    }

    /** A growable float array; growth is bounded by the file's size since every value needs text. */
    static final class FloatList {
        private float[] a = new float[3 * 1024];
        private int n;

        void add(float v) {
            if (n == a.length) a = java.util.Arrays.copyOf(a, Math.toIntExact(Math.min(2L * a.length, Integer.MAX_VALUE - 8)));
            a[n++] = v;
        }

        float[] toArray() { return java.util.Arrays.copyOf(a, n); }
    }
}
