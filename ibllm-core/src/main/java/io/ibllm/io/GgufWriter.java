package io.ibllm.io;

import io.ibllm.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF v3: header, metadata, tensor infos (dimensions reversed to GGUF's fastest-first
 * order), then each tensor's data at an offset aligned to general.alignment (default 32).
 * Tensor data is streamed from its segments; the file appears atomically.
 */
public final class GgufWriter {
    private GgufWriter() {}

    public static void write(Path path, Map<String, GgufValue> metadata, Map<String, Tensor> tensors) {
        long alignment = Gguf.alignment(path, metadata);
        Head head = new Head();
        head.i32(Gguf.MAGIC);
        head.i32(3);
        head.i64(tensors.size());
        head.i64(metadata.size());
        for (var e : metadata.entrySet()) {
            head.str(e.getKey());
            head.i32(e.getValue().type().id);
            head.value(e.getValue());
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            Tensor t = e.getValue();
            int type = ggmlType(path, e.getKey(), t);
            head.str(e.getKey());
            head.i32(t.rank());
            for (int d = t.rank() - 1; d >= 0; d--) head.i64(t.dim(d));
            head.i32(type);
            head.i64(offset);
            offset = TensorBytes.align(offset + TensorBytes.size(t), alignment);
        }
        byte[] header = head.toByteArray();
        AtomicFiles.write(path, out -> {
            out.write(header);
            TensorBytes.pad(out, TensorBytes.align(header.length, alignment) - header.length);
            for (Tensor t : tensors.values()) {
                long size = TensorBytes.size(t);
                TensorBytes.write(out, t);
                TensorBytes.pad(out, TensorBytes.align(size, alignment) - size);
            }
        });
    }

    private static int ggmlType(Path path, String name, Tensor t) {
        if (t.rank() > 4) throw new FormatException(path, "tensor '" + name + "' has rank " + t.rank() + "; GGUF allows 4");
        try {
            return GgmlType.id(t.dtype());
        } catch (IllegalArgumentException e) {
            throw new FormatException(path, "tensor '" + name + "': " + e.getMessage());
        }
    }

    /** The header, built in memory (metadata and infos are small next to the tensors). */
    private static final class Head extends ByteArrayOutputStream {
        void le(long v, int n) {
            for (int i = 0; i < n; i++) write((int) (v >>> (8 * i)));
        }

        void i32(long v) { le(v, 4); }

        void i64(long v) { le(v, 8); }

        void str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i64(b.length);
            writeBytes(b);
        }

        void value(GgufValue v) {
            if (v.type() == GgufValue.Type.ARRAY) {
                List<?> items = v.asList();
                i32(v.elementType().id);
                i64(items.size());
                for (Object o : items) {
                    if (v.elementType() == GgufValue.Type.ARRAY) value((GgufValue) o);
                    else scalar(v.elementType(), o);
                }
            } else {
                scalar(v.type(), v.value());
            }
        }

        void scalar(GgufValue.Type t, Object o) {
            switch (t) {
                case FLOAT32 -> i32(Float.floatToRawIntBits(((Number) o).floatValue()));
                case FLOAT64 -> i64(Double.doubleToRawLongBits(((Number) o).doubleValue()));
                case BOOL -> write((Boolean) o ? 1 : 0);
                case STRING -> str((String) o);
                case ARRAY -> throw new IllegalArgumentException("nested array without element type");
                default -> le(((Number) o).longValue(), t.size);
            }
        }
    }
}
