package io.ibllm.io;

import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * A FAISS flat index file (IndexFlatIP "IxFI" or IndexFlatL2 "IxF2", as faiss.write_index
 * writes them; spec §4.1): header, then ntotal·d float32 values, vector i being row i. The
 * vectors are mapped as one F32 tensor [ntotal, d] named "vectors".
 */
public final class FaissIndex implements TensorFile {
    /** FAISS metric_type values. */
    public enum Metric { INNER_PRODUCT, L2 }

    private static final long DUMMY = 1L << 20;

    private final Mapped file;
    private final int dim;
    private final long count;
    private final Metric metric;
    private final Tensor vectors;

    private FaissIndex(Mapped file, int dim, long count, Metric metric, Tensor vectors) {
        this.file = file;
        this.dim = dim;
        this.count = count;
        this.metric = metric;
        this.vectors = vectors;
    }

    public static FaissIndex open(Path path) {
        Mapped m = Mapped.open(path);
        try {
            return parse(m, new ByteCursor(m, 0));
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private static FaissIndex parse(Mapped m, ByteCursor c) {
        if (m.size() < 4) throw c.fail("too short for a FAISS index");
        String fourcc = new String(m.slice(c.take(4, "fourcc"), 4, "fourcc").toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                StandardCharsets.ISO_8859_1);
        Metric expected = switch (fourcc) {
            case "IxFI" -> Metric.INNER_PRODUCT;
            case "IxF2" -> Metric.L2;
            default -> throw c.fail("FAISS index type '" + fourcc.replaceAll("[^ -~]", "?")
                    + "' is not supported (only flat indexes IxFI/IxF2; IVF and others search approximately)");
        };
        int d = c.i32("d");
        long ntotal = c.i64("ntotal");
        c.i64("dummy");
        c.i64("dummy");
        int trained = c.u8("is_trained");
        int metricType = c.i32("metric_type");
        if (metricType > 1) c.f32("metric_arg");
        if (d <= 0 || ntotal < 0) throw c.fail("FAISS header has d=" + d + ", ntotal=" + ntotal);
        if (trained > 1) throw c.fail("FAISS header is_trained byte is " + trained);
        if (metricType != expected.ordinal()) throw c.fail(fourcc + " index with metric_type " + metricType);
        long n = c.i64("vector size");
        long want;
        try {
            want = Math.multiplyExact(ntotal, (long) d);
        } catch (ArithmeticException e) {
            throw c.fail("FAISS header ntotal*d overflows");
        }
        if (n != want) throw c.fail("FAISS vector array holds " + Long.toUnsignedString(n) + " floats, header says " + ntotal + "x" + d);
        long bytes = c.count(n, 4, "FAISS vector array of " + n + " floats") * 4;
        if (bytes != c.remaining()) throw c.fail("FAISS vector array needs " + bytes + " bytes, the file has " + c.remaining() + " left");
        Tensor v = Tensor.of(DType.F32, new long[] {ntotal, d}, m.slice(c.take(bytes, "vectors"), bytes, "vectors"));
        return new FaissIndex(m, d, ntotal, expected, v);
    }

    /** Writes an IndexFlatIP (INNER_PRODUCT) or IndexFlatL2 file for F32 vectors [n, d]. */
    public static void write(Path path, Tensor vectors, Metric metric) {
        if (vectors.rank() != 2 || vectors.dtype() != DType.F32) {
            throw new IllegalArgumentException("FAISS flat index needs F32 [n, d] vectors, got " + vectors);
        }
        AtomicFiles.write(path, out -> {
            header(out, Math.toIntExact(vectors.dim(1)), vectors.dim(0), metric);
            TensorBytes.write(out, vectors);
        });
    }

    /** Streams n vectors of dimension d, row i produced by rows.apply(i), without holding them all. */
    public static void write(Path path, int d, long n, Metric metric, LongFunction<float[]> rows) {
        AtomicFiles.write(path, out -> {
            header(out, d, n, metric);
            ByteBuffer bytes = ByteBuffer.allocate(d * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < n; i++) {
                float[] row = rows.apply(i);
                if (row.length != d) throw new IllegalArgumentException("vector " + i + " has " + row.length + " values, not " + d);
                bytes.clear();
                bytes.asFloatBuffer().put(row);
                out.write(bytes.array());
            }
        });
    }

    private static void header(OutputStream out, int d, long n, Metric metric) throws IOException {
        out.write((metric == Metric.INNER_PRODUCT ? "IxFI" : "IxF2").getBytes(StandardCharsets.US_ASCII));
        le(out, d, 4);
        le(out, n, 8);
        le(out, DUMMY, 8);
        le(out, DUMMY, 8);
        out.write(1);
        le(out, metric.ordinal(), 4);
        le(out, Math.multiplyExact(n, (long) d), 8);
    }

    private static void le(OutputStream out, long v, int n) throws IOException {
        for (int i = 0; i < n; i++) out.write((int) (v >>> (8 * i)));
    }

    public int dim() { return dim; }

    public long count() { return count; }

    public Metric metric() { return metric; }

    /** The stored vectors [count, dim]; row i is FAISS's reconstruct(i). */
    public Tensor vectors() { return vectors; }

    @Override public Path path() { return file.path(); }
    @Override public String format() { return "faiss-flat"; }
    @Override public Set<String> names() { return Set.of("vectors"); }
    @Override public Map<String, Tensor> tensors() { return Map.of("vectors", vectors); }

    @Override
    public Tensor get(String name) {
        if (!name.equals("vectors")) throw new FormatException(file.path(), "no tensor named '" + name + "' (a FAISS index has 'vectors')");
        return vectors;
    }

    @Override
    public long offsetOf(String name) {
        return get(name).segment().address() - file.segment().address();
    }

    @Override
    public void close() { file.close(); }
}
