package io.ibllm.train.nn;

import io.ibllm.tensor.Parallel;

/**
 * softmax(q·kᵀ/√d + causal mask)·v per batch and head, on [B, T, H, d] tensors. The forward
 * saves q, k, v and the probabilities; the backward returns dq, dk, dv.
 */
public final class CausalAttention {
    private final int batch;
    private final int seq;
    private final int heads;
    private final int headDim;
    private float[] q;
    private float[] k;
    private float[] v;
    private float[] probs; // [B, H, T, T]

    public CausalAttention(int batch, int seq, int heads, int headDim) {
        this.batch = batch;
        this.seq = seq;
        this.heads = heads;
        this.headDim = headDim;
    }

    private int at(int b, int t, int h) { return ((b * seq + t) * heads + h) * headDim; }

    public float[] forward(float[] q, float[] k, float[] v) {
        this.q = q;
        this.k = k;
        this.v = v;
        probs = new float[batch * heads * seq * seq];
        float[] out = new float[batch * seq * heads * headDim];
        float scale = (float) (1.0 / Math.sqrt(headDim));
        Parallel.forRange(batch * heads, (s, e) -> {
            for (int bh = s; bh < e; bh++) {
                int b = bh / heads, h = bh % heads;
                for (int t = 0; t < seq; t++) {
                    int p = (bh * seq + t) * seq;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int u = 0; u <= t; u++) {
                        float acc = 0f;
                        int qo = at(b, t, h), ko = at(b, u, h);
                        for (int i = 0; i < headDim; i++) acc += q[qo + i] * k[ko + i];
                        probs[p + u] = acc * scale;
                        max = Math.max(max, probs[p + u]);
                    }
                    float sum = 0f;
                    for (int u = 0; u <= t; u++) {
                        probs[p + u] = (float) Math.exp(probs[p + u] - max);
                        sum += probs[p + u];
                    }
                    int oo = at(b, t, h);
                    for (int u = 0; u <= t; u++) {
                        probs[p + u] /= sum;
                        float a = probs[p + u];
                        int vo = at(b, u, h);
                        for (int i = 0; i < headDim; i++) out[oo + i] += a * v[vo + i];
                    }
                }
            }
        });
        return out;
    }

    /** Returns {dq, dk, dv} for the gradient of the output. */
    public float[][] backward(float[] dout) {
        float[] dq = new float[q.length], dk = new float[k.length], dv = new float[v.length];
        float scale = (float) (1.0 / Math.sqrt(headDim));
        Parallel.forRange(batch * heads, (s, e) -> {
            float[] dp = new float[seq];
            for (int bh = s; bh < e; bh++) {
                int b = bh / heads, h = bh % heads;
                for (int t = 0; t < seq; t++) {
                    int p = (bh * seq + t) * seq;
                    int oo = at(b, t, h);
                    float dot = 0f;
                    for (int u = 0; u <= t; u++) {
                        int vo = at(b, u, h);
                        float acc = 0f;
                        for (int i = 0; i < headDim; i++) {
                            acc += dout[oo + i] * v[vo + i];
                            dv[vo + i] += probs[p + u] * dout[oo + i];
                        }
                        dp[u] = acc;
                        dot += acc * probs[p + u];
                    }
                    for (int u = 0; u <= t; u++) {
                        float ds = probs[p + u] * (dp[u] - dot) * scale;
                        int ko = at(b, u, h);
                        for (int i = 0; i < headDim; i++) {
                            dq[oo + i] += ds * k[ko + i];
                            dk[ko + i] += ds * q[oo + i];
                        }
                    }
                }
            }
        });
        return new float[][] {dq, dk, dv};
    }
}
