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
        wv.baseForward(a, 1, v);
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
        Parallel.forRange(heads, (h0, h1) -> {
            for (int h = h0; h < h1; h++) attendHead(q, cache, layer, h, rows, start, o, visual);
        });
        return wo.forward(o, rows);
    }

    /**
     * Head h for all query rows: scores = q_h·K_hᵀ/√d over positions ≤ start+row (causal),
     * softmax, o_h = P·V_h, then + the visual value.
     */
    private void attendHead(float[] q, KVCache cache, int layer, int h, int rows, int start, float[] o, float[] visual) {
        int dim = heads * headDim, n = start + rows, base = cache.headOffset(h);
        float[] qh = new float[rows * headDim];
        for (int r = 0; r < rows; r++) System.arraycopy(q, r * dim + h * headDim, qh, r * headDim, headDim);
        float[] scores = new float[rows * n], keys = cache.keys(layer);
        if (rows == 1) {
            // Decoding: one dot product per cached key (a GEMM would first copy all of K into panels).
            for (int t = 0; t < n; t++) scores[t] = Ops.dot(qh, 0, keys, base + t * headDim, headDim);
        } else {
            Ops.matmulTransB(qh, 0, keys, base, scores, 0, rows, n, headDim);
        }
        float scale = (float) Math.sqrt(headDim);
        for (int r = 0; r < rows; r++) {
            int seen = start + r + 1, sOff = r * n;
            for (int t = 0; t < seen; t++) scores[sOff + t] /= scale;
            Ops.softmax(scores, sOff, seen);
            java.util.Arrays.fill(scores, sOff + seen, sOff + n, 0f);   // causal: later positions weigh nothing
        }
        if (rows == 1) {
            weightedValues(scores, cache.values(layer), base, n, o, h * headDim);
        } else {
            // A prompt: P·V as one GEMM against Vᵀ (the transpose costs n·d, the product rows·n·d).
            float[] vT = transposedValues(cache.values(layer), base, n);
            float[] oh = new float[rows * headDim];
            Ops.matmulTransB(scores, 0, vT, 0, oh, 0, rows, headDim, n);
            for (int r = 0; r < rows; r++) System.arraycopy(oh, r * headDim, o, r * dim + h * headDim, headDim);
        }
        if (visual != null) {
            for (int r = 0; r < rows; r++) Ops.add(o, r * dim + h * headDim, visual, h * headDim, headDim);
        }
    }

    /** o[oOff + d] = Σ_t p[t]·V[t][d] for one query (decoding). */
    private void weightedValues(float[] p, float[] values, int base, int n, float[] o, int oOff) {
        for (int t = 0; t < n; t++) {
            float w = p[t];
            int vOff = base + t * headDim;
            for (int d = 0; d < headDim; d++) o[oOff + d] += w * values[vOff + d];
        }
    }

    /** Vᵀ [headDim, n] of one head's first n cached values. */
    private float[] transposedValues(float[] values, int base, int n) {
        float[] vT = new float[headDim * n];
        for (int t = 0; t < n; t++) {
            int vOff = base + t * headDim;
            for (int d = 0; d < headDim; d++) vT[d * n + t] = values[vOff + d];
        }
        return vT;
    }
}
