package io.ibllm.io;

import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GGUF (versions 2 and 3, little-endian) reader: metadata of every value type, tensor infos
 * and tensor data mapped in place. GGUF lists dimensions fastest first (ne[0]); shapes here are
 * row-major like PyTorch's, i.e. reversed. Tensor types F32/F16/BF16/Q8_0/Q4_0 (and the plain
 * integer/F64 types); any other type is refused by name.
 */
public final class Gguf extends MappedTensorMap {
    static final int MAGIC = 0x46554747; // "GGUF" little-endian
    static final long DEFAULT_ALIGNMENT = 32;
    private static final int MAX_ARRAY_NESTING = 8;
    private static final int MAX_DIMS = 4;

    private final Map<String, GgufValue> metadata = new LinkedHashMap<>();
    private int version;
    private long alignment = DEFAULT_ALIGNMENT;
    private long dataStart;

    private Gguf(Mapped file) {
        super(file);
    }

    public static Gguf open(Path path) {
        Mapped m = Mapped.open(path);
        try {
            Gguf g = new Gguf(m);
            g.parse(new ByteCursor(m, 0));
            return g;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private record Info(String name, long[] shape, long type, long offset) {}

    private void parse(ByteCursor c) {
        if (file.size() < 4 || c.i32("magic") != MAGIC) throw c.fail("not a GGUF file (bad magic)");
        long v = c.u32("version");
        if (v != 2 && v != 3) {
            throw c.fail("unsupported GGUF version " + v + (v > 0xFFFF ? " (big-endian GGUF is not supported)" : " (need 2 or 3)"));
        }
        version = (int) v;
        long nTensors = c.i64("tensor count");
        long nKv = c.i64("metadata count");
        c.count(nKv, 8 + 4 + 1, "metadata count");
        for (long i = 0; i < nKv; i++) {
            String key = c.utf8(c.i64("key length"), "metadata key");
            metadata.put(key, value(c, c.u32("value type of " + key), key, 0));
        }
        alignment = alignment(file.path(), metadata);
        c.count(nTensors, 8 + 4 + 4 + 8, "tensor count");
        List<Info> infos = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (long i = 0; i < nTensors; i++) {
            Info info = info(c);
            if (!names.add(info.name())) throw c.fail("tensor '" + info.name() + "' appears twice");
            infos.add(info);
        }
        dataStart = TensorBytes.align(c.pos(), alignment);
        c.seek(Math.min(dataStart, file.size()), "data section");
        for (Info info : infos) tensors.put(info.name(), tensor(info));
    }

    private GgufValue value(ByteCursor c, long typeId, String key, int depth) {
        GgufValue.Type type = GgufValue.Type.of(typeId);
        if (type == null) throw c.fail("metadata '" + key + "' has unknown value type " + typeId);
        if (type != GgufValue.Type.ARRAY) return GgufValue.of(type, scalar(c, type, key));
        if (depth >= MAX_ARRAY_NESTING) throw c.fail("metadata '" + key + "' nests arrays deeper than " + MAX_ARRAY_NESTING);
        long elemId = c.u32("array type of " + key);
        GgufValue.Type elem = GgufValue.Type.of(elemId);
        if (elem == null) throw c.fail("metadata '" + key + "' array has unknown element type " + elemId);
        long n = c.count(c.i64("array length of " + key), elem.size == 0 ? (elem == GgufValue.Type.STRING ? 8 : 12) : elem.size,
                "array length of '" + key + "'");
        List<Object> values = new ArrayList<>((int) Math.min(n, 1 << 16));
        for (long i = 0; i < n; i++) {
            values.add(elem == GgufValue.Type.ARRAY ? value(c, elemId, key, depth + 1) : scalar(c, elem, key));
        }
        return new GgufValue(GgufValue.Type.ARRAY, elem, Collections.unmodifiableList(values));
    }

    private static Object scalar(ByteCursor c, GgufValue.Type t, String key) {
        return switch (t) {
            case UINT8 -> (long) c.u8(key);
            case INT8 -> (long) (byte) c.u8(key);
            case UINT16 -> (long) Short.toUnsignedInt(c.i16(key));
            case INT16 -> (long) c.i16(key);
            case UINT32 -> c.u32(key);
            case INT32 -> (long) c.i32(key);
            case UINT64, INT64 -> c.i64(key);
            case FLOAT32 -> c.f32(key);
            case FLOAT64 -> c.f64(key);
            case BOOL -> {
                int b = c.u8(key);
                if (b > 1) throw c.fail("metadata '" + key + "' bool has value " + b);
                yield b == 1;
            }
            case STRING -> c.utf8(c.i64(key + " length"), "metadata '" + key + "'");
            case ARRAY -> throw new IllegalStateException("unreachable");
        };
    }

    /** general.alignment (a power-of-two UINT32) or the default 32. */
    static long alignment(Path path, Map<String, GgufValue> metadata) {
        GgufValue a = metadata.get("general.alignment");
        if (a == null) return DEFAULT_ALIGNMENT;
        if (a.type() != GgufValue.Type.UINT32 || a.asLong() <= 0 || Long.bitCount(a.asLong()) != 1) {
            throw new FormatException(path, "general.alignment must be a power-of-two UINT32, got " + a.value());
        }
        return a.asLong();
    }

    private Info info(ByteCursor c) {
        String name = c.utf8(c.i64("tensor name length"), "tensor name");
        long nDims = c.u32("dimension count of " + name);
        if (nDims > MAX_DIMS) throw c.fail("tensor '" + name + "' has " + nDims + " dimensions (at most " + MAX_DIMS + ")");
        long[] shape = new long[(int) nDims];
        for (int i = 0; i < nDims; i++) {
            long d = c.i64("dimension of " + name);
            if (d < 0) throw c.fail("tensor '" + name + "' has an impossible dimension " + Long.toUnsignedString(d));
            shape[(int) nDims - 1 - i] = d;   // ne[0] is the fastest dimension: last in row-major order
        }
        long type = c.u32("type of " + name);
        long offset = c.i64("offset of " + name);
        return new Info(name, shape, type, offset);
    }

    private Tensor tensor(Info info) {
        Path p = file.path();
        DType dtype = GgmlType.dtype(info.type());
        if (dtype == null) {
            throw new FormatException(p, "tensor '" + info.name() + "' has GGML type " + GgmlType.name(info.type()) + " (" + info.type()
                    + "); supported: F32, F16, BF16, Q8_0, Q4_0, I8-I64, F64");
        }
        long[] shape = info.shape();
        if (dtype.isQuantized() && (shape.length == 0 || shape[shape.length - 1] % dtype.blockSize() != 0)) {
            throw new FormatException(p, "tensor '" + info.name() + "' rows are not a multiple of the " + dtype + " block size");
        }
        if (info.offset() < 0 || info.offset() % alignment != 0) {
            throw new FormatException(p, "tensor '" + info.name() + "' offset " + Long.toUnsignedString(info.offset()) + " is not aligned to " + alignment);
        }
        long bytes;
        try {
            bytes = dtype.byteSize(Tensor.numel(shape));
        } catch (ArithmeticException e) {
            throw new FormatException(p, "tensor '" + info.name() + "' shape overflows");
        }
        if (dataStart > file.size() || info.offset() > file.size() - dataStart) {
            throw new FormatException(p, "tensor '" + info.name() + "' offset " + info.offset() + " lies outside the file");
        }
        return Tensor.of(dtype, shape, file.slice(dataStart + info.offset(), bytes, "tensor '" + info.name() + "'"));
    }

    public int version() { return version; }

    public long alignment() { return alignment; }

    /** Metadata in file order. */
    public Map<String, GgufValue> metadata() { return Collections.unmodifiableMap(metadata); }

    /** A metadata value, or a FormatException naming the key. */
    public GgufValue meta(String key) {
        GgufValue v = metadata.get(key);
        if (v == null) throw new FormatException(file.path(), "no metadata key '" + key + "'");
        return v;
    }

    @Override public String format() { return "gguf"; }
}
