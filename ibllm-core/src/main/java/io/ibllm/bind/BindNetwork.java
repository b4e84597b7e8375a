package io.ibllm.bind;

import io.ibllm.tensor.Ops;
import io.ibllm.tensor.Tensor;
import java.util.List;

/**
 * The bind network (spec §3): x = proj(f), then 3 pre-norm SwiGLU residual blocks
 * x += F2(silu(F1(n)) ⊙ F3(n)), n = Norm(x). Stable release: RMSNorm(eps 1e-6), no biases in
 * the blocks; legacy "7B-beta" bridge: LayerNorm(eps 1e-5) and biases everywhere.
 */
public final class BindNetwork {
    /** Which released bridge a checkpoint holds. */
    public enum Variant {
        STABLE(1e-6f), LEGACY(1e-5f);

        final float eps;

        Variant(float eps) { this.eps = eps; }
    }

    /** One residual block; weights [hidden, dim] / [dim, hidden]; biases null in the stable variant. */
    public record Block(float[] normWeight, float[] normBias, Tensor f1, Tensor b1, Tensor f2, Tensor b2,
                        Tensor f3, Tensor b3) {}

    private final Variant variant;
    private final Tensor proj;
    private final Tensor projBias;
    private final List<Block> blocks;

    public BindNetwork(Variant variant, Tensor proj, Tensor projBias, List<Block> blocks) {
        this.variant = variant;
        this.proj = proj;
        this.projBias = projBias;
        this.blocks = List.copyOf(blocks);
    }

    public Variant variant() { return variant; }

    public int inputDim() { return (int) proj.dim(1); }

    public int outputDim() { return (int) proj.dim(0); }

    public int blockCount() { return blocks.size(); }

    /** f [rows, in] → visual query F [rows, dim]. */
    public float[] forward(float[] f, int rows) {
        float[] x = project(f, rows);
        for (int k = 0; k < blocks.size(); k++) block(k, x, rows);
        return x;
    }

    /** The input projection alone: x = f·Wpᵀ + bp. */
    public float[] project(float[] f, int rows) {
        if (f.length != rows * inputDim()) {
            throw new IllegalArgumentException("bind network expects " + inputDim() + " values per row, got "
                    + f.length + " for " + rows + " rows");
        }
        return linear(proj, projBias, f, rows);
    }

    /** Applies residual block {@code k} to x [rows, dim] in place. */
    public void block(int k, float[] x, int rows) {
        Block b = blocks.get(k);
        int dim = outputDim();
        float[] n = new float[x.length];
        for (int r = 0; r < rows; r++) {
            if (variant == Variant.STABLE) Ops.rmsnorm(n, r * dim, x, r * dim, b.normWeight(), dim, variant.eps);
            else Ops.layerNorm(n, r * dim, x, r * dim, b.normWeight(), b.normBias(), dim, variant.eps);
        }
        float[] g = linear(b.f1(), b.b1(), n, rows);
        float[] u = linear(b.f3(), b.b3(), n, rows);
        Ops.swiglu(g, 0, u, 0, g.length);
        float[] y = linear(b.f2(), b.b2(), g, rows);
        Ops.add(x, 0, y, 0, x.length);
    }

    private static float[] linear(Tensor w, Tensor bias, float[] x, int rows) {
        float[] out = new float[rows * (int) w.dim(0)];
        Ops.linear(w, bias, x, rows, out);
        return out;
    }
}
