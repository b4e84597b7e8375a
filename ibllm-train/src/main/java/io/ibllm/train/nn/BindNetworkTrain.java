package io.ibllm.train.nn;

import io.ibllm.train.Param;

/**
 * The bind network (spec §3) as a forward/backward pair: x = proj(f); three pre-norm residual
 * blocks x += F2(silu(F1(n)) ⊙ F3(n)), n = RMSNorm(x) (stable variant, eps 1e-6).
 */
public final class BindNetworkTrain {
    private final Linear proj;
    private final RmsNorm[] norms;
    private final SwiGlu[] blocks;
    private int rows;

    public BindNetworkTrain(Linear proj, RmsNorm[] norms, SwiGlu[] blocks) {
        this.proj = proj;
        this.norms = norms;
        this.blocks = blocks;
    }

    /** f [B, in] → F [B, dim]. */
    public float[] forward(float[] f, int rows) {
        this.rows = rows;
        float[] x = proj.forward(f, rows);
        for (int k = 0; k < blocks.length; k++) {
            float[] y = blocks[k].forward(norms[k].forward(x, rows), rows);
            float[] next = x.clone();
            for (int i = 0; i < next.length; i++) next[i] += y[i];
            x = next;
        }
        return x;
    }

    /** Accumulates parameter gradients from dF; the input (a frozen ImageBind feature) needs none. */
    public void backward(float[] dF) {
        float[] dx = dF.clone();
        for (int k = blocks.length - 1; k >= 0; k--) {
            float[] dn = norms[k].backward(blocks[k].backward(dx, true));
            for (int i = 0; i < dx.length; i++) dx[i] += dn[i];
        }
        proj.backward(dx, false);
    }

    public static BindNetworkTrain of(java.util.function.Function<String, Param> p, int in, int dim, int hidden) {
        Linear proj = new Linear(in, dim, null, p.apply("image_bind_proj.weight"), p.apply("image_bind_proj.bias"), null, null);
        RmsNorm[] norms = new RmsNorm[3];
        SwiGlu[] blocks = new SwiGlu[3];
        for (int k = 0; k < 3; k++) {
            int n = k + 1;
            norms[k] = new RmsNorm(p.apply("image_bind_norm_" + n + ".weight"), 1e-6f);
            blocks[k] = new SwiGlu(
                    new Linear(dim, hidden, null, p.apply("image_bind_f1_" + n + ".weight"), null, null, null),
                    new Linear(hidden, dim, null, p.apply("image_bind_f2_" + n + ".weight"), null, null, null),
                    new Linear(dim, hidden, null, p.apply("image_bind_f3_" + n + ".weight"), null, null, null));
        }
        return new BindNetworkTrain(proj, norms, blocks);
    }
}
