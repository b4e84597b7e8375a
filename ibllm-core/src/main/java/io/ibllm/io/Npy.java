package io.ibllm.io;

import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy .npy files, format versions 1-3. Reading maps the file; a Fortran-order array is
 * returned as a strided view. Object (pickled) arrays are refused: nothing is unpickled.
 */
public final class Npy {
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Reads a whole .npy file; the returned tensor stays valid while the JVM runs (auto arena). */
    public static Tensor read(Path path) {
        byte[] all;
        try {
            long size = Files.size(path);
            if (size > Integer.MAX_VALUE - 16) return readMapped(path);
            all = Files.readAllBytes(path);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new FormatException(path, "no such file");
        } catch (IOException e) {
            throw new FormatException(path, "cannot read: " + e.getMessage());
        }
        MemorySegment seg = MemorySegment.ofArray(all);
        Header h = header(path, seg);
        MemorySegment copy = java.lang.foreign.Arena.ofAuto().allocate(Math.max(1, h.bytes), 64);
        MemorySegment.copy(seg, h.dataOffset, copy, 0, h.bytes);
        return h.tensor(copy);
    }

    /** What a .npy header says, for inspection: format version, dtype, shape, order, data offset. */
    public record Info(int version, DType dtype, long[] shape, boolean fortranOrder, long dataOffset) {}

    public static Info info(Path path) {
        try (Mapped m = Mapped.open(path)) {
            Header h = header(path, m.segment());
            return new Info(m.segment().get(ValueLayout.JAVA_BYTE, 6), h.dtype, h.shape, h.fortran, h.dataOffset);
        }
    }

    private static Tensor readMapped(Path path) {
        Mapped m = Mapped.open(path);
        Header h = header(path, m.segment());
        return h.tensor(m.slice(h.dataOffset, h.bytes, "array data"));
    }

    private record Header(DType dtype, long[] shape, boolean fortran, long dataOffset, long bytes, boolean bigEndian) {
        Tensor tensor(MemorySegment data) {
            if (bigEndian) throw new IllegalStateException("unreachable");
            if (!fortran) return Tensor.of(dtype, shape, data);
            long[] strides = new long[shape.length];
            long acc = 1;
            for (int i = 0; i < shape.length; i++) {
                strides[i] = acc;
                acc *= shape[i];
            }
            return new Tensor(dtype, shape, strides, data);
        }
    }

    private static Header header(Path path, MemorySegment seg) {
        long size = seg.byteSize();
        if (size < 10 || seg.get(ValueLayout.JAVA_BYTE, 0) != (byte) 0x93
                || !"NUMPY".equals(new String(seg.asSlice(1, 5).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII))) {
            throw new FormatException(path, "not a .npy file (bad magic)");
        }
        int major = seg.get(ValueLayout.JAVA_BYTE, 6);
        long hlen;
        long start;
        ByteBuffer bb = ByteBuffer.wrap(seg.asSlice(0, Math.min(size, 12)).toArray(ValueLayout.JAVA_BYTE)).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            hlen = Short.toUnsignedInt(bb.getShort(8));
            start = 10;
        } else if (major == 2 || major == 3) {
            if (size < 12) throw new FormatException(path, "truncated .npy header");
            hlen = Integer.toUnsignedLong(bb.getInt(8));
            start = 12;
        } else {
            throw new FormatException(path, "unsupported .npy format version " + major);
        }
        if (hlen > size - start || hlen > (1 << 20)) throw new FormatException(path, "truncated .npy header");
        String dict = new String(seg.asSlice(start, hlen).toArray(ValueLayout.JAVA_BYTE),
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(dict), f = FORTRAN.matcher(dict), s = SHAPE.matcher(dict);
        if (!d.find() || !f.find() || !s.find()) throw new FormatException(path, "malformed .npy header: " + dict.strip());
        String descr = d.group(1);
        if (descr.contains("O")) throw new FormatException(path, "object arrays (pickled data) are not supported");
        char order = descr.charAt(0);
        if (order == '>' && descr.length() > 2 && descr.charAt(2) != '1') {
            throw new FormatException(path, "big-endian arrays (" + descr + ") are not supported; save little-endian");
        }
        DType dtype = switch (descr.substring(1)) {
            case "f4" -> DType.F32;
            case "f2" -> DType.F16;
            case "f8" -> DType.F64;
            case "i8" -> DType.I64;
            case "i4" -> DType.I32;
            case "i2" -> DType.I16;
            case "i1" -> DType.I8;
            case "u1" -> DType.U8;
            case "b1" -> DType.BOOL;
            default -> throw new FormatException(path, "unsupported .npy dtype '" + descr + "'");
        };
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            String t = part.strip();
            if (t.isEmpty()) continue;
            try {
                long v = Long.parseLong(t.endsWith("L") ? t.substring(0, t.length() - 1) : t);
                if (v < 0) throw new NumberFormatException();
                dims.add(v);
            } catch (NumberFormatException e) {
                throw new FormatException(path, "bad .npy shape (" + s.group(1) + ")");
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long bytes;
        try {
            bytes = dtype.byteSize(Tensor.numel(shape));
        } catch (ArithmeticException e) {
            throw new FormatException(path, "shape overflows");
        }
        long off = start + hlen;
        if (bytes > size - off) {
            throw new FormatException(path, "array needs " + bytes + " bytes of data, file has " + (size - off));
        }
        return new Header(dtype, shape, f.group(1).equals("True"), off, bytes, false);
    }

    /** Writes a float32 C-order array atomically (temp file + rename). */
    public static void writeF32(Path path, float[] data, long... shape) {
        ByteBuffer bb = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(data);
        write(path, "<f4", shape, bb.array());
    }

    /** Writes an int64 C-order array atomically. */
    public static void writeI64(Path path, long[] data, long... shape) {
        ByteBuffer bb = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.asLongBuffer().put(data);
        write(path, "<i8", shape, bb.array());
    }

    private static void write(Path path, String descr, long[] shape, byte[] body) {
        StringBuilder sh = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) sh.append(shape[i]).append(shape.length == 1 ? "," : (i + 1 < shape.length ? ", " : ""));
        sh.append(')');
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + sh + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        byte[] hb = header.getBytes(StandardCharsets.US_ASCII);
        AtomicFiles.write(path, out -> {
            out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
            out.write(hb.length & 0xFF);
            out.write((hb.length >> 8) & 0xFF);
            out.write(hb);
            out.write(body);
        });
    }

    /** Convenience for callers writing through a stream. */
    @FunctionalInterface
    public interface Body { void writeTo(OutputStream out) throws IOException; }
}
