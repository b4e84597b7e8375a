package io.ibllm.llama;

import io.ibllm.tensor.Ops;
import io.ibllm.tensor.Parallel;

/**
 * Causal multi-head self-attention of one layer, with the KV cache and ImageBind-LLM's
 * zero-init gated visual injection: head h's output gets + tanh(gate[h])·(Wv·A_l)_h, a
 * constant per request precomputed by {@link #visualValue} (the visual token never enters
 * the scores, the cache or RoPE).
 */
public final class Attention {
    private final AdaptedLinear wq, wk, wv, wo;
    private final float[] tanhGate;
    private final int heads;
    private final int headDim;

    public Attention(AdaptedLinear wq, AdaptedLinear wk, AdaptedLinear wv, AdaptedLinear wo, float[] gate) {
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
        this.wo = wo;
        this.heads = gate.length;
        this.headDim = wq.out() / heads;
        this.tanhGate = new float[heads];
        for (int h = 0; h < heads; h++) tanhGate[h] = (float) Math.tanh(gate[h]);
    }

    /**
     * The gated injection for adapter prompt {@code a} [dim]: tanh(gate[h])·(Wv·a)_h per head,
     * through the frozen base Wv only (no LoRA, no bias), as the reference's adapter_len == 1 path.
     */
    public float[] visualValue(float[] a) {
        float[] v = new float[wv.out()];
        Ops.matmul(wv.weight(), a, 1, v);
        for (int h = 0; h < heads; h++) {
            for (int d = 0; d < headDim; d++) v[h * headDim + d] *= tanhGate[h];
        }
        return v;
    }

    /**
     * x [rows, dim] at positions start.. → attention output [rows, dim]. {@code visual} is the
     * value from {@link #visualValue} or null for a text-only request.
     */
    public float[] forward(float[] x, int rows, int start, KVCache cache, int layer, float[] freqsCis, float[] visual) {
        float[] q = wq.forward(x, rows);
        float[] k = wk.forward(x, rows);
        float[] v = wv.forward(x, rows);
        int dim = wq.out();
        for (int r = 0; r < rows; r++) {
            Ops.rope(q, r * dim, heads, headDim, freqsCis, start + r);
            Ops.rope(k, r * dim, heads, headDim, freqsCis, start + r);
        }
        cache.store(layer, start, rows, k, v);
        float[] o = new float[rows * dim];
        float[] keys = cache.keys(layer), values = cache.values(layer);
        Parallel.forRange(rows * heads, (s, e) -> {
            float[] scores = new float[start + rows];
            for (int i = s; i < e; i++) attendOne(q, keys, values, o, i / heads, i % heads, start, scores, visual);
        });
        return wo.forward(o, rows);
    }

    /** One (query row, head): softmax(q·Kᵀ/√d) over positions ≤ start+row, then ·V (+ visual). */
    private void attendOne(float[] q, float[] keys, float[] values, float[] o, int row, int h, int start,
                           float[] scores, float[] visual) {
        int dim = heads * headDim;
        int n = start + row + 1;
        int qOff = row * dim + h * headDim;
        float scale = (float) Math.sqrt(headDim);
        for (int t = 0; t < n; t++) {
            float acc = 0f;
            int kOff = t * dim + h * headDim;
            for (int d = 0; d < headDim; d++) acc += q[qOff + d] * keys[kOff + d];
            scores[t] = acc / scale;
        }
        Ops.softmax(scores, 0, n);
        int oOff = row * dim + h * headDim;
        for (int t = 0; t < n; t++) {
            float p = scores[t];
            int vOff = t * dim + h * headDim;
            for (int d = 0; d < headDim; d++) o[oOff + d] += p * values[vOff + d];
        }
        if (visual != null) {
            for (int d = 0; d < headDim; d++) o[oOff + d] += visual[h * headDim + d];
        }
    }
}
