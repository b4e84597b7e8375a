package io.ibllm.llama;

import io.ibllm.tensor.Ops;

/** Pre-norm block: h = x + Attn(RMSNorm(x)); out = h + FFN(RMSNorm(h)). */
public final class TransformerBlock {
    private final int index;
    private final float[] attentionNorm;
    private final Attention attention;
    private final float[] ffnNorm;
    private final FeedForward feedForward;
    private final float eps;

    public TransformerBlock(int index, float[] attentionNorm, Attention attention, float[] ffnNorm,
                            FeedForward feedForward, float eps) {
        this.index = index;
        this.attentionNorm = attentionNorm;
        this.attention = attention;
        this.ffnNorm = ffnNorm;
        this.feedForward = feedForward;
        this.eps = eps;
    }

    public Attention attention() { return attention; }

    /** x [rows, dim] is updated in place to the block's output. */
    public void forward(float[] x, int rows, int start, KVCache cache, float[] freqsCis, float[] visual) {
        int dim = attentionNorm.length;
        float[] att = attention.forward(rmsnorm(x, rows, attentionNorm), rows, start, cache, index, freqsCis, visual);
        Ops.add(x, 0, att, 0, rows * dim);
        float[] ffn = feedForward.forward(rmsnorm(x, rows, ffnNorm), rows);
        Ops.add(x, 0, ffn, 0, rows * dim);
    }

    float[] rmsnorm(float[] x, int rows, float[] weight) {
        int dim = weight.length;
        float[] out = new float[rows * dim];
        for (int r = 0; r < rows; r++) Ops.rmsnorm(out, r * dim, x, r * dim, weight, dim, eps);
        return out;
    }
}
