package io.ibllm.imagebind;

import io.ibllm.tensor.Ops;
import io.ibllm.tensor.Parallel;

/**
 * torch.nn.LayerNorm over the last dimension with affine weight and bias. The epsilon matters:
 * 1e-6 in the ImageBind blocks, heads and vision pre-LN, 1e-5 (PyTorch default) in the
 * audio/depth/thermal/IMU stems.
 */
public record LayerNorm(float[] weight, float[] bias, float eps) {

    public static final float EPS_BLOCK = 1e-6f;
    public static final float EPS_TORCH_DEFAULT = 1e-5f;

    /** Loads {@code prefix.weight} and {@code prefix.bias}, both [dim]. */
    public static LayerNorm load(Weights w, String prefix, int dim, float eps) {
        return new LayerNorm(w.vector(prefix + ".weight", dim), w.vector(prefix + ".bias", dim), eps);
    }

    public int dim() { return weight.length; }

    /** Normalises each of {@code rows} rows of x into out (may be the same array). */
    public void apply(float[] x, float[] out, int rows) {
        int d = weight.length;
        Parallel.forRange(rows, (s, e) -> {
            for (int r = s; r < e; r++) Ops.layerNorm(out, r * d, x, r * d, weight, bias, d, eps);
        });
    }

    /** A normalised copy of x. */
    public float[] apply(float[] x, int rows) {
        float[] out = new float[rows * weight.length];
        apply(x, out, rows);
        return out;
    }
}
