package io.ibllm.train.nn;

import io.ibllm.train.Param;

/**
 * One LLaMA layer with the ImageBind-LLM adapter as a forward/backward pair:
 * h = x + Wo(attn(RoPE(Wq n), RoPE(Wk n), Wv n) + tanh(gate)·adapterValue), n = RMSNorm(x);
 * out = h + SwiGLU(RMSNorm(h)). The adapter value Wv·(F + prefix) is computed by the model.
 */
public final class TrainBlock {
    final RmsNorm attentionNorm;
    final Linear wq;
    final Linear wk;
    final Linear wv;
    final Linear wo;
    final Param gate;
    final RmsNorm ffnNorm;
    final SwiGlu feedForward;
    private final Rope rope;
    private final int heads;
    private final int headDim;

    private CausalAttention attention;
    private float[] adapterValue; // [B, dim] or null
    private boolean[] visual;
    private int batch;
    private int seq;

    public TrainBlock(RmsNorm attentionNorm, Linear wq, Linear wk, Linear wv, Linear wo, Param gate,
                      RmsNorm ffnNorm, SwiGlu feedForward, Rope rope, int heads) {
        this.attentionNorm = attentionNorm;
        this.wq = wq;
        this.wk = wk;
        this.wv = wv;
        this.wo = wo;
        this.gate = gate;
        this.ffnNorm = ffnNorm;
        this.feedForward = feedForward;
        this.rope = rope;
        this.heads = heads;
        this.headDim = wq.out / heads;
    }

    /** x [B·T, dim]; adapterValue [B, dim] (null: no injection); visual[b] false skips sample b. */
    public float[] forward(float[] x, int batch, int seq, float[] adapterValue, boolean[] visual) {
        this.batch = batch;
        this.seq = seq;
        this.adapterValue = adapterValue;
        this.visual = visual;
        int rows = batch * seq, dim = wq.out;
        float[] n = attentionNorm.forward(x, rows);
        float[] q = wq.forward(n, rows), k = wk.forward(n, rows), v = wv.forward(n, rows);
        rope.apply(q, batch, seq, heads, 1);
        rope.apply(k, batch, seq, heads, 1);
        attention = new CausalAttention(batch, seq, heads, headDim);
        float[] o = attention.forward(q, k, v);
        if (adapterValue != null) inject(o, dim);
        float[] a = wo.forward(o, rows);
        float[] h = x.clone();
        for (int i = 0; i < h.length; i++) h[i] += a[i];
        float[] f = feedForward.forward(ffnNorm.forward(h, rows), rows);
        for (int i = 0; i < f.length; i++) f[i] += h[i];
        return f;
    }

    private void inject(float[] o, int dim) {
        for (int b = 0; b < batch; b++) {
            if (!visual[b]) continue;
            for (int hd = 0; hd < heads; hd++) {
                float g = (float) Math.tanh(gate.data[hd]);
                for (int t = 0; t < seq; t++) {
                    int oo = (b * seq + t) * dim + hd * headDim, ao = b * dim + hd * headDim;
                    for (int i = 0; i < headDim; i++) o[oo + i] += g * adapterValue[ao + i];
                }
            }
        }
    }

    /** Returns dx; fills dAdapterValue [B, dim] when it is non-null. */
    public float[] backward(float[] dout, float[] dAdapterValue) {
        int rows = batch * seq, dim = wq.out;
        float[] dh = ffnNorm.backward(feedForward.backward(dout, true));
        for (int i = 0; i < dh.length; i++) dh[i] += dout[i];
        float[] dO = wo.backward(dh, true);
        if (adapterValue != null) injectBackward(dO, dAdapterValue, dim);
        float[][] g = attention.backward(dO);
        rope.apply(g[0], batch, seq, heads, -1);
        rope.apply(g[1], batch, seq, heads, -1);
        float[] dn = wq.backward(g[0], true);
        float[] dk = wk.backward(g[1], true), dv = wv.backward(g[2], true);
        for (int i = 0; i < dn.length; i++) dn[i] += dk[i] + dv[i];
        float[] dx = attentionNorm.backward(dn);
        for (int i = 0; i < dx.length; i++) dx[i] += dh[i];
        attention = null;
        return dx;
    }

    private void injectBackward(float[] dO, float[] dAdapterValue, int dim) {
        for (int b = 0; b < batch; b++) {
            if (!visual[b]) continue;
            for (int hd = 0; hd < heads; hd++) {
                float th = (float) Math.tanh(gate.data[hd]);
                double dg = 0;
                for (int t = 0; t < seq; t++) {
                    int oo = (b * seq + t) * dim + hd * headDim, ao = b * dim + hd * headDim;
                    for (int i = 0; i < headDim; i++) {
                        dg += dO[oo + i] * adapterValue[ao + i];
                        if (dAdapterValue != null) dAdapterValue[ao + i] += th * dO[oo + i];
                    }
                }
                if (gate.trainable()) gate.grad[hd] += (float) (dg * (1.0 - th * th));
            }
        }
    }
}
