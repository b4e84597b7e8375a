package io.ibllm.imagebind;

import io.ibllm.tensor.Ops;
import io.ibllm.tensor.Parallel;

/**
 * torch.nn.MultiheadAttention(D, H, bias=True, add_bias_kv=...) as the ImageBind trunks call
 * it (sequence-first, self-attention, eval mode). The packed in-projection gives q, k, v
 * (rows 0:D, D:2D, 2D:3D of in_proj_weight); with add_bias_kv the learned bias_k / bias_v are
 * appended as one extra key/value position AFTER the in-projection (they are not projected),
 * and the attention mask gets a zero column for it. Scores are (q/√d)·kᵀ + mask.
 */
public final class MultiheadAttention {
    private final int dim;
    private final int heads;
    private final Linear inProj;
    private final Linear outProj;
    private final float[] biasK;
    private final float[] biasV;

    MultiheadAttention(int dim, int heads, Linear inProj, Linear outProj, float[] biasK, float[] biasV) {
        this.dim = dim;
        this.heads = heads;
        this.inProj = inProj;
        this.outProj = outProj;
        this.biasK = biasK;
        this.biasV = biasV;
    }

    /** Loads {@code prefix.in_proj_weight/in_proj_bias/out_proj.*} (+ {@code bias_k/bias_v}). */
    public static MultiheadAttention load(Weights w, String prefix, int dim, int heads, boolean addBiasKv) {
        Linear in = new Linear(w.take(prefix + ".in_proj_weight", 3L * dim, dim), w.take(prefix + ".in_proj_bias", 3L * dim));
        Linear out = Linear.load(w, prefix + ".out_proj", dim, dim, true);
        float[] bk = addBiasKv ? w.vector(prefix + ".bias_k", 1, 1, dim) : null;
        float[] bv = addBiasKv ? w.vector(prefix + ".bias_v", 1, 1, dim) : null;
        return new MultiheadAttention(dim, heads, in, out, bk, bv);
    }

    /**
     * Self-attention of each of {@code batch} sequences of {@code len} tokens in x [batch*len, D];
     * {@code mask} is an additive [len, len] mask or null. Returns [batch*len, D].
     */
    public float[] forward(float[] x, int batch, int len, float[] mask) {
        float[] qkv = inProj.apply(x, batch * len);
        float[] ctx = new float[batch * len * dim];
        // One parallel job over (sequence, head) pairs; the GEMMs inside run on the calling thread.
        Parallel.forRange(batch * heads, (s, e) -> {
            Scratch sc = new Scratch(len, dim / heads, len + (biasK == null ? 0 : 1));
            for (int p = s; p < e; p++) attendHead(qkv, p / heads, p % heads, len, mask, sc, ctx);
        });
        return outProj.apply(ctx, batch * len);
    }

    /** Per-thread buffers of one head's attention. */
    private record Scratch(float[] q, float[] k, float[] vT, float[] scores, float[] out, int keys) {
        Scratch(int len, int hd, int keys) {
            this(new float[len * hd], new float[keys * hd], new float[hd * keys], new float[len * keys], new float[len * hd], keys);
        }
    }

    /** softmax((q/√d)·kᵀ + mask)·v for head h of sequence b, written into ctx's columns of h. */
    private void attendHead(float[] qkv, int b, int h, int len, float[] mask, Scratch sc, float[] ctx) {
        int hd = dim / heads, keys = sc.keys();
        gatherHead(qkv, b, len, h * hd, hd, sc.q(), sc.k(), sc.vT(), keys, (float) Math.sqrt(hd));
        float[] scores = sc.scores();
        Ops.matmulTransB(sc.q(), 0, sc.k(), 0, scores, 0, len, keys, hd);
        for (int i = 0; i < len; i++) {
            if (mask != null) {
                for (int j = 0; j < len; j++) scores[i * keys + j] += mask[i * len + j];
            }
            Ops.softmax(scores, i * keys, keys);
        }
        Ops.matmulTransB(scores, 0, sc.vT(), 0, sc.out(), 0, len, hd, keys);
        for (int i = 0; i < len; i++) System.arraycopy(sc.out(), i * hd, ctx, (b * len + i) * dim + h * hd, hd);
    }

    /** Per-head q/√d [len, hd], k [keys, hd] and vᵀ [hd, keys] of sequence b, bias_k/v last. */
    private void gatherHead(float[] qkv, int b, int len, int off, int hd, float[] q, float[] k, float[] vT, int keys, float scale) {
        int row = 3 * dim;
        for (int i = 0; i < len; i++) {
            int base = (b * len + i) * row + off;
            for (int e = 0; e < hd; e++) {
                q[i * hd + e] = qkv[base + e] / scale;
                k[i * hd + e] = qkv[base + dim + e];
                vT[e * keys + i] = qkv[base + 2 * dim + e];
            }
        }
        if (biasK != null) {
            for (int e = 0; e < hd; e++) {
                k[len * hd + e] = biasK[off + e];
                vT[e * keys + len] = biasV[off + e];
            }
        }
    }
}
