package io.ibllm.imagebind;

import io.ibllm.tensor.Ops;

/**
 * ImageBind's pre-norm block (no layer scale; drop-path inactive at inference):
 * x = x + MHA(LN1(x)); x = x + fc2(GELU(fc1(LN2(x)))), LN eps 1e-6, exact erf GELU.
 */
public final class TransformerBlock {
    private final LayerNorm norm1;
    private final MultiheadAttention attn;
    private final LayerNorm norm2;
    private final Linear fc1;
    private final Linear fc2;

    TransformerBlock(LayerNorm norm1, MultiheadAttention attn, LayerNorm norm2, Linear fc1, Linear fc2) {
        this.norm1 = norm1;
        this.attn = attn;
        this.norm2 = norm2;
        this.fc1 = fc1;
        this.fc2 = fc2;
    }

    /** Loads {@code prefix.{norm_1,attn,norm_2,mlp.fc1,mlp.fc2}}; the MLP width comes from fc1. */
    public static TransformerBlock load(Weights w, String prefix, int dim, int heads, boolean addBiasKv) {
        LayerNorm n1 = LayerNorm.load(w, prefix + ".norm_1", dim, LayerNorm.EPS_BLOCK);
        MultiheadAttention attn = MultiheadAttention.load(w, prefix + ".attn", dim, heads, addBiasKv);
        LayerNorm n2 = LayerNorm.load(w, prefix + ".norm_2", dim, LayerNorm.EPS_BLOCK);
        int hidden = (int) w.peekShape(prefix + ".mlp.fc1.weight")[0];
        Linear fc1 = Linear.load(w, prefix + ".mlp.fc1", hidden, dim, true);
        Linear fc2 = Linear.load(w, prefix + ".mlp.fc2", dim, hidden, true);
        return new TransformerBlock(n1, attn, n2, fc1, fc2);
    }

    /** Updates x [batch*len, D] in place. */
    public void forward(float[] x, int batch, int len, float[] mask) {
        int rows = batch * len;
        add(x, attn.forward(norm1.apply(x, rows), batch, len, mask));
        float[] h = fc1.apply(norm2.apply(x, rows), rows);
        Ops.gelu(h, 0, h.length);
        add(x, fc2.apply(h, rows));
    }

    private static void add(float[] x, float[] y) {
        for (int i = 0; i < x.length; i++) x[i] += y[i];
    }
}
