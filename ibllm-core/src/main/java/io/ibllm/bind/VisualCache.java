package io.ibllm.bind;

import io.ibllm.io.Checkpoints;
import io.ibllm.io.FormatException;
import io.ibllm.io.Npy;
import io.ibllm.io.TensorFile;
import io.ibllm.tensor.Ops;
import io.ibllm.tensor.Parallel;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The cross-modal visual cache (spec §4): exact top-k inner-product search over N stored
 * image embeddings [N, D] (any float dtype, usually a mapped FAISS IndexFlatIP), and the
 * blend f' = normalize((1 − α)·q + α·normalize(softmax(τ·s)·P)). Works per sample, so any
 * batch size is correct (the reference broadcasts wrongly for more than one query).
 */
public final class VisualCache implements AutoCloseable {
    /** Blend settings; the reference demos use k = 10, τ = 20, α = 0.5. */
    public record Settings(int size, float temperature, float weight) {
        public static final Settings DEFAULT = new Settings(10, 20f, 0.5f);

        public Settings {
            if (size < 1) throw new IllegalArgumentException("cache size must be at least 1, got " + size);
            if (!(weight >= 0f && weight <= 1f)) throw new IllegalArgumentException("cache weight must be in [0, 1], got " + weight);
            if (!Float.isFinite(temperature)) throw new IllegalArgumentException("cache temperature must be finite");
        }
    }

    /** Top-k result: ids and inner products, best first (ties: lower id first). */
    public record Neighbours(long[] ids, float[] sims) {}

    private final Tensor vectors;
    private final int dim;
    private final long count;
    private final TensorFile file;

    public VisualCache(Tensor vectors) {
        this(vectors, null);
    }

    private VisualCache(Tensor vectors, TensorFile file) {
        if (vectors.rank() != 2 || !vectors.dtype().isFloating() || !vectors.isContiguous()) {
            throw new IllegalArgumentException("cache vectors must be a contiguous float [N, D] tensor, got " + vectors);
        }
        if (vectors.dim(0) > Integer.MAX_VALUE) throw new IllegalArgumentException("cache holds more than 2^31 vectors");
        this.vectors = vectors;
        this.count = vectors.dim(0);
        this.dim = (int) vectors.dim(1);
        this.file = file;
    }

    /**
     * Opens a cache file: a .npy [N, D] array, or any checkpoint format holding exactly one 2-D
     * tensor (e.g. a FAISS flat index once its reader is registered), memory-mapped.
     */
    public static VisualCache open(Path path) {
        if (Checkpoints.sniff(path) == Checkpoints.Kind.NPY) return checked(path, Npy.read(path), null);
        TensorFile f = Checkpoints.open(path);
        try {
            if (f.names().size() != 1) throw new FormatException(path, "a cache file must hold one [N, D] tensor, found " + f.names().size());
            return checked(path, f.tensors().values().iterator().next(), f);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    private static VisualCache checked(Path path, Tensor t, TensorFile file) {
        if (t.rank() != 2 || !t.dtype().isFloating() || t.dim(0) < 1) {
            throw new FormatException(path, "cache vectors must be a float [N, D] array, got " + t);
        }
        return new VisualCache(t.isContiguous() ? t : t.toF32(), file);
    }

    /** Unmaps the cache file, if this cache was opened from one. */
    @Override
    public void close() {
        if (file != null) file.close();
    }

    public long size() { return count; }

    public int dim() { return dim; }

    /**
     * Exact top-k by inner product: all N similarities are computed (split across the worker
     * pool; 4 bytes per cached vector of scratch), then the k best are selected, ties by lower id.
     */
    public Neighbours search(float[] q, int k) {
        if (q.length != dim) throw new IllegalArgumentException("query has " + q.length + " values, cache vectors have " + dim);
        int n = (int) count, kk = Math.min(k, n);
        float[] sims = new float[n];
        Parallel.forRange(n, (s, e) -> {
            for (int i = s; i < e; i++) sims[i] = Ops.dotRow(vectors, i, q, 0, dim);
        });
        float[] best = new float[kk];
        int[] ids = new int[kk];
        Ops.topK(sims, 0, n, kk, best, ids);
        return new Neighbours(Arrays.stream(ids).asLongStream().toArray(), best);
    }

    /** The blended query for one sample q. */
    public float[] blend(float[] q, Settings s) {
        Neighbours nb = search(q, s.size());
        int k = nb.ids().length;
        float[] a = new float[k];
        for (int j = 0; j < k; j++) a[j] = s.temperature() * nb.sims()[j];
        Ops.softmax(a, 0, k);
        float[] p = new float[dim];
        for (int j = 0; j < k; j++) {
            long base = nb.ids()[j] * dim;
            for (int i = 0; i < dim; i++) p[i] += a[j] * vectors.getFloat(base + i);
        }
        float invP = 1f / Mixer.norm(p);
        float[] f = new float[dim];
        for (int i = 0; i < dim; i++) f[i] = (1f - s.weight()) * q[i] + s.weight() * (p[i] * invP);
        float invF = 1f / Mixer.norm(f);
        for (int i = 0; i < dim; i++) f[i] *= invF;
        return f;
    }

    /** Blends each row of qs [rows, D] independently. */
    public float[] blend(float[] qs, int rows, Settings s) {
        float[] out = new float[rows * dim];
        for (int r = 0; r < rows; r++) {
            float[] f = blend(Arrays.copyOfRange(qs, r * dim, (r + 1) * dim), s);
            System.arraycopy(f, 0, out, r * dim, dim);
        }
        return out;
    }
}
