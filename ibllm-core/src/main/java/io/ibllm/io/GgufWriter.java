package io.ibllm.io;

import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes GGUF v3: header, metadata, tensor infos (dimensions reversed to GGUF's fastest-first
 * order), then each tensor's data at an offset aligned to general.alignment (default 32).
 * Tensor data is streamed from its segments; the file appears atomically.
 */
public final class GgufWriter {
    private GgufWriter() {}

    /**
     * A tensor to write: its GGUF type and row-major shape, and a body that writes exactly
     * {@code dtype.byteSize(numel)} bytes when its turn comes (so a converter can produce each
     * tensor while writing and never hold them all).
     */
    public record Entry(String name, DType dtype, long[] shape, Body body) {
        public long bytes() { return dtype.byteSize(Tensor.numel(shape)); }
    }

    /** Writes one tensor's bytes. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    public static void write(Path path, Map<String, GgufValue> metadata, Map<String, Tensor> tensors) {
        List<Entry> entries = new ArrayList<>();
        for (var e : tensors.entrySet()) {
            Tensor t = e.getValue();
            entries.add(new Entry(e.getKey(), t.dtype(), t.shape(), out -> TensorBytes.write(out, t)));
        }
        write(path, metadata, entries);
    }

    /** Streams the entries in order; the file appears atomically (nothing under {@code path} on failure). */
    public static void write(Path path, Map<String, GgufValue> metadata, List<Entry> tensors) {
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
        for (Entry e : tensors) {
            int type = ggmlType(path, e.name(), e.dtype(), e.shape().length);
            head.str(e.name());
            head.i32(e.shape().length);
            for (int d = e.shape().length - 1; d >= 0; d--) head.i64(e.shape()[d]);
            head.i32(type);
            head.i64(offset);
            offset = TensorBytes.align(offset + e.bytes(), alignment);
        }
        byte[] header = head.toByteArray();
        AtomicFiles.write(path, out -> {
            out.write(header);
            TensorBytes.pad(out, TensorBytes.align(header.length, alignment) - header.length);
            for (Entry e : tensors) {
                CountingStream counted = new CountingStream(out);
                e.body().writeTo(counted);
                if (counted.count != e.bytes()) {
                    throw new IllegalStateException("tensor '" + e.name() + "' wrote " + counted.count + " bytes, expected " + e.bytes());
                }
                TensorBytes.pad(out, TensorBytes.align(e.bytes(), alignment) - e.bytes());
            }
        });
    }

    /** Counts what a body writes, so a wrong size is caught before it shifts every later tensor. */
    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) { super(out); }

        @Override public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    private static int ggmlType(Path path, String name, DType dtype, int rank) {
        if (rank > 4) throw new FormatException(path, "tensor '" + name + "' has rank " + rank + "; GGUF allows 4");
        try {
            return GgmlType.id(dtype);
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
