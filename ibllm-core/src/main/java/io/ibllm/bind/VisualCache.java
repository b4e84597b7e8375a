package io.ibllm.bind;

import io.ibllm.io.Checkpoints;
import io.ibllm.io.FaissIndex;
import io.ibllm.io.FormatException;
import io.ibllm.io.Npy;
import io.ibllm.io.TensorFile;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.Ops;
import io.ibllm.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The cross-modal visual cache (spec §4): exact top-k search over N stored image embeddings
 * [N, D] (usually a memory-mapped FAISS flat index: the released knn.index is 13.3 GB), and the
 * blend f' = normalize((1 − α)·q + α·normalize(softmax(τ·s)·P)). A batch of queries is searched
 * in one pass over the vectors ({@link FlatScan}), and blended per sample, so any batch size is
 * correct (the reference broadcasts wrongly for more than one query).
 *
 * <p>An IndexFlatL2 cache (the reference ships only IndexFlatIP) is searched by smallest squared
 * L2 distance, which {@link #search} returns as FAISS does; the blend then weights those k
 * neighbours by softmax(τ·q·x), their inner products with the query, so the formula is the same
 * as for an inner-product cache (for unit vectors and a unit query both pick the same neighbours).
 */
public final class VisualCache implements AutoCloseable {
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Blend settings; the reference demos use k = 10, τ = 20, α = 0.5. */
    public record Settings(int size, float temperature, float weight) {
        public static final Settings DEFAULT = new Settings(10, 20f, 0.5f);

        public Settings {
            if (size < 1) throw new IllegalArgumentException("cache size must be at least 1, got " + size);
            if (!(weight >= 0f && weight <= 1f)) throw new IllegalArgumentException("cache weight must be in [0, 1], got " + weight);
            if (!Float.isFinite(temperature)) throw new IllegalArgumentException("cache temperature must be finite");
        }
    }

    /**
     * Top-k result, best first (ties: lower id first): ids and scores, the scores being inner
     * products (descending) for an inner-product cache, squared L2 distances (ascending) for L2.
     */
    public record Neighbours(long[] ids, float[] sims) {}

    private final MemorySegment vectors;
    private final int dim;
    private final int count;
    private final FaissIndex.Metric metric;
    private final FlatScan scan;
    private final TensorFile file;

    /** An inner-product cache over vectors [N, D]. */
    public VisualCache(Tensor vectors) {
        this(vectors, FaissIndex.Metric.INNER_PRODUCT, null);
    }

    public VisualCache(Tensor vectors, FaissIndex.Metric metric) {
        this(vectors, metric, null);
    }

    private VisualCache(Tensor vectors, FaissIndex.Metric metric, TensorFile file) {
        if (vectors.rank() != 2 || !vectors.dtype().isFloating()) {
            throw new IllegalArgumentException("cache vectors must be a float [N, D] tensor, got " + vectors);
        }
        if (vectors.dim(0) < 1 || vectors.dim(1) < 1) throw new IllegalArgumentException("cache holds no vectors: " + vectors);
        if (vectors.dim(0) > Integer.MAX_VALUE) throw new IllegalArgumentException("cache holds more than 2^31 vectors");
        // The scan reads float32 rows straight from (mapped) native memory; anything else is copied once.
        Tensor t = vectors.dtype() == DType.F32 && vectors.isContiguous() && vectors.segment().isNative() ? vectors : vectors.toF32();
        this.vectors = t.segment();
        this.count = (int) t.dim(0);
        this.dim = Math.toIntExact(t.dim(1));
        this.metric = metric;
        this.file = file;
        this.scan = new FlatScan(this.vectors, count, dim, metric == FaissIndex.Metric.L2);
    }

    /**
     * Opens a cache file, memory-mapped: a FAISS IndexFlatIP / IndexFlatL2 file (the reference's
     * knn.index, or what {@code ibllm cache build} writes), a .npy [N, D] array, or any checkpoint
     * format holding exactly one 2-D float tensor.
     */
    public static VisualCache open(Path path) {
        if (Checkpoints.sniff(path) == Checkpoints.Kind.NPY) return checked(path, Npy.read(path), FaissIndex.Metric.INNER_PRODUCT, null);
        TensorFile f = Checkpoints.open(path);
        try {
            if (f.names().size() != 1) throw new FormatException(path, "a cache file must hold one [N, D] tensor, found " + f.names().size());
            FaissIndex.Metric m = f instanceof FaissIndex fi ? fi.metric() : FaissIndex.Metric.INNER_PRODUCT;
            return checked(path, f.tensors().values().iterator().next(), m, f);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private static VisualCache checked(Path path, Tensor t, FaissIndex.Metric metric, TensorFile file) {
        if (t.rank() != 2 || !t.dtype().isFloating() || t.dim(0) < 1 || t.dim(1) < 1) {
            throw new FormatException(path, "cache vectors must be a non-empty float [N, D] array, got " + t);
        }
        if (t.dim(0) > Integer.MAX_VALUE) throw new FormatException(path, "cache holds " + t.dim(0) + " vectors, more than 2^31-1");
        return new VisualCache(t, metric, file);
    }

    /** Unmaps the cache file, if this cache was opened from one. */
    @Override
    public void close() {
        if (file != null) file.close();
    }

    public long size() { return count; }

    public int dim() { return dim; }

    public FaissIndex.Metric metric() { return metric; }

    /** Stored vector {@code id} (FAISS's reconstruct(id)). */
    public float[] vector(long id) {
        if (id < 0 || id >= count) throw new IndexOutOfBoundsException("cache id " + id + " outside [0, " + count + ")");
        float[] v = new float[dim];
        MemorySegment.copy(vectors, LE_FLOAT, id * dim * Float.BYTES, v, 0, dim);
        return v;
    }

    /** Exact top-k of one query (k is clipped to the cache size). */
    public Neighbours search(float[] q, int k) {
        return scan.search(new float[][] {q}, k)[0];
    }

    /** Exact top-k of each row of qs [rows, D], all rows in one pass over the cache. */
    public Neighbours[] search(float[] qs, int rows, int k) {
        return scan.search(split(qs, rows), k);
    }

    /** The blended query for one sample q. */
    public float[] blend(float[] q, Settings s) {
        return blend(q, 1, s);
    }

    /** Blends each row of qs [rows, D] independently (one search pass for all rows). */
    public float[] blend(float[] qs, int rows, Settings s) {
        float[][] q = split(qs, rows);
        Neighbours[] nb = scan.search(q, s.size());
        float[] out = new float[rows * dim];
        for (int r = 0; r < rows; r++) System.arraycopy(blendOne(q[r], nb[r], s), 0, out, r * dim, dim);
        return out;
    }

    /** Spec §4.2 for one sample: a = softmax(τ·s), p = normalize(a·P), normalize((1−α)·q + α·p). */
    private float[] blendOne(float[] q, Neighbours nb, Settings s) {
        int k = nb.ids().length;
        float[] a = new float[k];
        for (int j = 0; j < k; j++) {
            float sim = metric == FaissIndex.Metric.L2 ? scan.innerProduct(nb.ids()[j], q) : nb.sims()[j];
            a[j] = s.temperature() * sim;
        }
        Ops.softmax(a, 0, k);
        float[] p = new float[dim];
        for (int j = 0; j < k; j++) {
            long base = nb.ids()[j] * dim * Float.BYTES;
            for (int i = 0; i < dim; i++) p[i] += a[j] * vectors.get(LE_FLOAT, base + (long) i * Float.BYTES);
        }
        float invP = 1f / Mixer.norm(p);
        float[] f = new float[dim];
        for (int i = 0; i < dim; i++) f[i] = (1f - s.weight()) * q[i] + s.weight() * (p[i] * invP);
        float invF = 1f / Mixer.norm(f);
        for (int i = 0; i < dim; i++) f[i] *= invF;
        return f;
    }

    private float[][] split(float[] qs, int rows) {
        if (rows < 1 || qs.length != (long) rows * dim) {
            throw new IllegalArgumentException("queries have " + qs.length + " values, expected " + rows + " rows of " + dim);
        }
        float[][] q = new float[rows][];
        for (int r = 0; r < rows; r++) q[r] = Arrays.copyOfRange(qs, r * dim, (r + 1) * dim);
        return q;
    }
}
