package io.ibllm.media.points;

import io.ibllm.io.FormatException;
import io.ibllm.io.Mapped;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * PCL's .pcd (v0.5-0.7), DATA ascii, binary or binary_compressed (LZF, fields stored one after
 * the other): the x, y, z fields. POINTS is checked against the bytes (or lines) the file holds.
 */
final class PcdReader {
    private static final int MAX_HEADER = 1 << 16;

    private PcdReader() {}

    static PointCloud read(Path file) {
        try (Mapped m = Mapped.open(file)) {
            MemorySegment s = m.segment();
            byte[] head = s.asSlice(0, Math.min(s.byteSize(), MAX_HEADER)).toArray(ValueLayout.JAVA_BYTE);
            String text = new String(head, StandardCharsets.ISO_8859_1);
            Map<String, String[]> h = new HashMap<>();
            int pos = 0;
            while (!h.containsKey("DATA")) {
                int nl = text.indexOf('\n', pos);
                if (nl < 0) throw new FormatException(file, "PCD header has no DATA line in its first " + MAX_HEADER + " bytes");
                String line = text.substring(pos, nl).strip();
                pos = nl + 1;
                if (line.isEmpty() || line.startsWith("#")) continue;
                String[] w = line.split("\\s+");
                h.put(w[0].toUpperCase(java.util.Locale.ROOT), java.util.Arrays.copyOfRange(w, 1, w.length));
            }
            Layout layout = Layout.of(file, h);
            String data = h.get("DATA").length == 0 ? "" : h.get("DATA")[0];
            MemorySegment body = s.asSlice(pos);
            return switch (data) {
                case "ascii" -> ascii(file, body, layout);
                case "binary" -> binary(file, body, layout);
                case "binary_compressed" -> compressed(file, body, layout);
                default -> throw new FormatException(file, "unknown PCD DATA type '" + data + "'");
            };
        }
    }

    /** Field layout of one point: byte offset, type and token index of x, y, z. */
    private record Layout(long points, int rowBytes, int[] offset, int[] token, PlyType[] type) {
        /** In binary_compressed data each field is stored for all points, in field order. */
        long columnOffset(int k) {
            return points * offset[k];
        }

        static Layout of(Path file, Map<String, String[]> h) {
            String[] fields = require(file, h, "FIELDS"), size = require(file, h, "SIZE"), type = require(file, h, "TYPE");
            String[] count = h.getOrDefault("COUNT", null);
            if (size.length != fields.length || type.length != fields.length || (count != null && count.length != fields.length)) {
                throw new FormatException(file, "PCD FIELDS/SIZE/TYPE/COUNT lengths differ");
            }
            long points = number(file, h.containsKey("POINTS") ? require(file, h, "POINTS")[0] : null, h);
            List<String> names = List.of(fields);
            int[] off = new int[3], tok = new int[3];
            PlyType[] types = new PlyType[3];
            int row = 0, tokens = 0;
            for (int i = 0; i < fields.length; i++) {
                int sz = (int) number(file, size[i], h), n = count == null ? 1 : (int) number(file, count[i], h);
                int k = "xyz".indexOf(fields[i].length() == 1 ? fields[i].charAt(0) : '?');
                if (k >= 0) {
                    off[k] = row;
                    tok[k] = tokens;
                    types[k] = type(file, type[i], sz);
                }
                row += sz * n;
                tokens += n;
            }
            if (!names.contains("x") || !names.contains("y") || !names.contains("z")) throw new FormatException(file, "PCD has no x, y, z fields");
            return new Layout(points, row, off, tok, types);
        }

        private static String[] require(Path file, Map<String, String[]> h, String key) {
            String[] v = h.get(key);
            if (v == null || v.length == 0) throw new FormatException(file, "PCD header lacks " + key);
            return v;
        }

        private static long number(Path file, String s, Map<String, String[]> h) {
            try {
                if (s == null) { // old files: WIDTH x HEIGHT
                    return Math.multiplyExact(Long.parseLong(require(file, h, "WIDTH")[0]), Long.parseLong(require(file, h, "HEIGHT")[0]));
                }
                long v = Long.parseLong(s);
                if (v < 0 || v > Integer.MAX_VALUE) throw new NumberFormatException();
                return v;
            } catch (NumberFormatException | ArithmeticException e) {
                throw new FormatException(file, "bad number in PCD header: " + s);
            }
        }

        private static PlyType type(Path file, String t, int size) {
            return switch (t + size) {
                case "F4" -> PlyType.FLOAT32;
                case "F8" -> PlyType.FLOAT64;
                case "I1" -> PlyType.INT8;
                case "I2" -> PlyType.INT16;
                case "I4" -> PlyType.INT32;
                case "U1" -> PlyType.UINT8;
                case "U2" -> PlyType.UINT16;
                case "U4" -> PlyType.UINT32;
                default -> throw new FormatException(file, "unsupported PCD field type " + t + " of size " + size);
            };
        }
    }

    private static PointCloud binary(Path file, MemorySegment body, Layout l) {
        if (l.rowBytes == 0 || l.points > body.byteSize() / l.rowBytes) {
            throw new FormatException(file, "truncated PCD: " + l.points + " points declared, the file holds "
                    + (l.rowBytes == 0 ? 0 : body.byteSize() / l.rowBytes));
        }
        float[] xyz = new float[Math.toIntExact(3 * l.points)];
        for (int i = 0; i < l.points; i++) {
            for (int k = 0; k < 3; k++) {
                xyz[3 * i + k] = (float) l.type[k].read(body, (long) i * l.rowBytes + l.offset[k], ByteOrder.LITTLE_ENDIAN);
            }
        }
        return new PointCloud(xyz);
    }

    private static PointCloud compressed(Path file, MemorySegment body, Layout l) {
        if (body.byteSize() < 8) throw new FormatException(file, "truncated compressed PCD");
        long packed = Integer.toUnsignedLong(body.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0));
        long unpacked = Integer.toUnsignedLong(body.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 4));
        if (packed > body.byteSize() - 8) throw new FormatException(file, "truncated compressed PCD: " + packed + " bytes declared, " + (body.byteSize() - 8) + " present");
        if (unpacked != l.points * l.rowBytes) {
            throw new FormatException(file, "compressed PCD holds " + unpacked + " bytes, " + l.points + " points need " + l.points * l.rowBytes);
        }
        MemorySegment data = MemorySegment.ofArray(Lzf.decompress(file, body.asSlice(8, packed), unpacked));
        float[] xyz = new float[Math.toIntExact(3 * l.points)];
        for (int i = 0; i < l.points; i++) {
            for (int k = 0; k < 3; k++) {
                xyz[3 * i + k] = (float) l.type[k].read(data, l.columnOffset(k) + (long) i * l.type[k].bytes, ByteOrder.LITTLE_ENDIAN);
            }
        }
        return new PointCloud(xyz);
    }

    private static PointCloud ascii(Path file, MemorySegment body, Layout l) {
        if (body.byteSize() > Integer.MAX_VALUE - 8) throw new FormatException(file, "ASCII PCD body too large (over 2 GB)");
        String[] lines = new String(body.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.ISO_8859_1).split("\r?\n");
        if (l.points > lines.length) throw new FormatException(file, "truncated PCD: " + l.points + " points declared, " + lines.length + " lines follow");
        float[] xyz = new float[Math.toIntExact(3 * l.points)];
        for (int i = 0; i < l.points; i++) {
            String[] tok = lines[i].strip().split("\\s+");
            for (int k = 0; k < 3; k++) {
                if (l.token[k] >= tok.length) throw new FormatException(file, "PCD point " + i + " has too few values");
                xyz[3 * i + k] = TextPoints.parse(file, i + 1, tok[l.token[k]]);
            }
        }
        return new PointCloud(xyz);
    }
}
