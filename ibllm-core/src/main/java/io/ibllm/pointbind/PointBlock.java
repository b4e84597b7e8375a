package io.ibllm.pointbind;

import io.ibllm.tensor.Ops;
import io.ibllm.tensor.Parallel;
import io.ibllm.tensor.Tensor;

/**
 * One Point-BERT transformer block (timm-style, batch-first): x += Attn(LN1(x)); x += MLP(LN2(x)),
 * LayerNorm eps 1e-5, attention without qkv bias, MLP with exact GELU.
 */
final class PointBlock {
    private static final float LN_EPS = 1e-5f;

    private final float[] norm1W, norm1B, norm2W, norm2B, projB, fc1B, fc2B;
    private final Tensor qkv, proj, fc1, fc2;
    private final int dim, heads, hidden;

    private PointBlock(StrictKeys k, String p, int dim, int heads) {
        this.dim = dim;
        this.heads = heads;
        norm1W = k.get(p + "norm1.weight", dim).toFloatArray();
        norm1B = k.get(p + "norm1.bias", dim).toFloatArray();
        norm2W = k.get(p + "norm2.weight", dim).toFloatArray();
        norm2B = k.get(p + "norm2.bias", dim).toFloatArray();
        qkv = k.get(p + "attn.qkv.weight", 3L * dim, dim);
        proj = k.get(p + "attn.proj.weight", dim, dim);
        projB = k.get(p + "attn.proj.bias", dim).toFloatArray();
        fc1 = k.get(p + "mlp.fc1.weight", StrictKeys.ANY, dim);
        hidden = (int) fc1.dim(0);
        fc1B = k.get(p + "mlp.fc1.bias", hidden).toFloatArray();
        fc2 = k.get(p + "mlp.fc2.weight", dim, hidden);
        fc2B = k.get(p + "mlp.fc2.bias", dim).toFloatArray();
    }

    static PointBlock load(StrictKeys keys, String prefix, int dim, int heads) {
        return new PointBlock(keys, prefix, dim, heads);
    }

    /** x [t, dim] ← block(x), in place. */
    void forward(float[] x, int t) {
        float[] y = new float[t * dim];
        for (int r = 0; r < t; r++) Ops.layerNorm(y, r * dim, x, r * dim, norm1W, norm1B, dim, LN_EPS);
        float[] a = attention(y, t);
        for (int i = 0; i < x.length; i++) x[i] += a[i];
        for (int r = 0; r < t; r++) Ops.layerNorm(y, r * dim, x, r * dim, norm2W, norm2B, dim, LN_EPS);
        float[] h = PointTransformer.affine(fc1, fc1B, y, t);
        Ops.gelu(h, 0, h.length);
        float[] m = PointTransformer.affine(fc2, fc2B, h, t);
        for (int i = 0; i < x.length; i++) x[i] += m[i];
    }

    /** Multi-head self-attention of y [t, dim]: softmax(q·kᵀ · hd^-½)·v per head, then proj. */
    private float[] attention(float[] y, int t) {
        float[] qkvOut = new float[t * 3 * dim];
        Ops.matmul(qkv, y, t, qkvOut);
        float[] merged = new float[t * dim];
        // Heads are independent: one thread per group of heads (the kernels inside then run inline).
        Parallel.forRange(heads, (s, e) -> {
            for (int h = s; h < e; h++) head(qkvOut, t, h, merged);
        });
        return PointTransformer.affine(proj, projB, merged, t);
    }

    /** Head h of the attention: its columns of {@code merged} [t, dim]. */
    private void head(float[] qkvOut, int t, int h, float[] merged) {
        int hd = dim / heads;
        float scale = (float) (1.0 / Math.sqrt(hd));
        float[] q = new float[t * hd], k = new float[t * hd], vT = new float[hd * t];
        float[] scores = new float[t * t], o = new float[t * hd];
        // qkv row layout is [3, heads, hd]: q at h*hd, k at dim + h*hd, v at 2*dim + h*hd.
        for (int r = 0; r < t; r++) {
            int base = r * 3 * dim + h * hd;
            System.arraycopy(qkvOut, base, q, r * hd, hd);
            System.arraycopy(qkvOut, base + dim, k, r * hd, hd);
            for (int e = 0; e < hd; e++) vT[e * t + r] = qkvOut[base + 2 * dim + e];
        }
        Ops.matmulTransB(q, 0, k, 0, scores, 0, t, t, hd);
        for (int r = 0; r < t; r++) {
            for (int c = 0; c < t; c++) scores[r * t + c] *= scale;
            Ops.softmax(scores, r * t, t);
        }
        Ops.matmulTransB(scores, 0, vT, 0, o, 0, t, hd, t);
        for (int r = 0; r < t; r++) System.arraycopy(o, r * hd, merged, r * dim + h * hd, hd);
    }
}
