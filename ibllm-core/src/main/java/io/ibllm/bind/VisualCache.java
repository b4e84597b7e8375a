package io.ibllm.bind;

import io.ibllm.tensor.Ops;
import io.ibllm.tensor.Parallel;
import io.ibllm.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cross-modal visual cache (spec §4): exact top-k inner-product search over N stored
 * image embeddings [N, D] (any float dtype, usually a mapped FAISS IndexFlatIP), and the
 * blend f' = normalize((1 − α)·q + α·normalize(softmax(τ·s)·P)). Works per sample, so any
 * batch size is correct (the reference broadcasts wrongly for more than one query).
 */
public final class VisualCache {
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

    public VisualCache(Tensor vectors) {
        if (vectors.rank() != 2 || !vectors.dtype().isFloating() || !vectors.isContiguous()) {
            throw new IllegalArgumentException("cache vectors must be a contiguous float [N, D] tensor, got " + vectors);
        }
        if (vectors.dim(0) > Integer.MAX_VALUE) throw new IllegalArgumentException("cache holds more than 2^31 vectors");
        this.vectors = vectors;
        this.count = vectors.dim(0);
        this.dim = (int) vectors.dim(1);
    }

    public long size() { return count; }

    public int dim() { return dim; }

    /** Exact top-k by inner product; the scan is split across the worker pool. */
    public Neighbours search(float[] q, int k) {
        if (q.length != dim) throw new IllegalArgumentException("query has " + q.length + " values, cache vectors have " + dim);
        int kk = (int) Math.min(k, count);
        List<TopK> parts = new ArrayList<>();
        Parallel.forRange((int) count, (s, e) -> {
            TopK local = new TopK(kk);
            for (int i = s; i < e; i++) local.offer(i, Ops.dotRow(vectors, i, q, 0, dim));
            synchronized (parts) { parts.add(local); }
        });
        TopK all = new TopK(kk);
        for (TopK p : parts) for (int j = 0; j < p.n; j++) all.offer(p.ids[j], p.sims[j]);
        return all.sorted();
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

    /** A bounded best-k list kept sorted by (sim desc, id asc); k is small (≤ 100 in practice). */
    private static final class TopK {
        final long[] ids;
        final float[] sims;
        int n;

        TopK(int k) {
            ids = new long[k];
            sims = new float[k];
        }

        void offer(long id, float sim) {
            int k = ids.length;
            if (n == k && !better(sim, id, sims[k - 1], ids[k - 1])) return;
            int pos = n < k ? n++ : k - 1;
            while (pos > 0 && better(sim, id, sims[pos - 1], ids[pos - 1])) {
                sims[pos] = sims[pos - 1];
                ids[pos] = ids[pos - 1];
                pos--;
            }
            sims[pos] = sim;
            ids[pos] = id;
        }

        static boolean better(float s, long id, float s2, long id2) {
            return s > s2 || (s == s2 && id < id2);
        }

        Neighbours sorted() {
            return new Neighbours(Arrays.copyOf(ids, n), Arrays.copyOf(sims, n));
        }
    }
}
