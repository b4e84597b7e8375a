package io.ibllm.imagebind;

import io.ibllm.tensor.Ops;
import io.ibllm.tensor.Tensor;

/**
 * torch.nn.Linear: y = x·Wᵀ (+ b), W [out, in]. The towers only feed it many-row inputs, so W is
 * read through its GEMM panels (Ops.encoderLinear: built once, replacing the mapping, off-heap).
 */
public record Linear(Tensor weight, Tensor bias) {

    /** Loads {@code prefix.weight} [out, in] and, if {@code withBias}, {@code prefix.bias} [out]. */
    public static Linear load(Weights w, String prefix, int out, int in, boolean withBias) {
        return new Linear(w.take(prefix + ".weight", out, in), withBias ? w.take(prefix + ".bias", out) : null);
    }

    public int in() { return (int) weight.dim(1); }

    public int out() { return (int) weight.dim(0); }

    /** y [rows, out] for x [rows, in]. */
    public float[] apply(float[] x, int rows) {
        float[] y = new float[Math.multiplyExact(rows, out())];
        Ops.encoderLinear(weight, bias, x, rows, y);
        return y;
    }
}
