package io.ibllm.llama;

import io.ibllm.tensor.Ops;
import io.ibllm.tensor.PackedWeight;
import io.ibllm.tensor.Tensor;

/**
 * A frozen base projection with the ImageBind-LLM fine-tuning parts:
 * y = x·Wᵀ + b + (x·Aᵀ)·Bᵀ. The bias and the LoRA pair are optional; LoRA has no scaling
 * (the reference adds lora_l2(lora_l1(x)) as is). W stays in its stored dtype (fp16 for Meta's
 * weights, mapped from the checkpoint) and is widened inside the kernel; a weight built in memory
 * (synthetic or converted) may be given already packed.
 */
public final class AdaptedLinear {
    private final Tensor weight;
    private final PackedWeight packed;
    private final float[] bias;
    private final Tensor loraA;
    private final Tensor loraB;

    /** @param weight [out, in]; bias [out] or null; loraA [r, in] and loraB [out, r], both or neither */
    public AdaptedLinear(Tensor weight, Tensor bias, Tensor loraA, Tensor loraB) {
        this(weight, null, bias == null ? null : bias.toFloatArray(), loraA, loraB);
    }

    /** The same with a weight already packed for the kernels. */
    public AdaptedLinear(PackedWeight weight, float[] bias, Tensor loraA, Tensor loraB) {
        this(null, weight, bias, loraA, loraB);
    }

    private AdaptedLinear(Tensor weight, PackedWeight packed, float[] bias, Tensor loraA, Tensor loraB) {
        if ((loraA == null) != (loraB == null)) throw new IllegalArgumentException("LoRA needs both matrices");
        this.weight = weight;
        this.packed = packed;
        this.bias = bias;
        this.loraA = loraA;
        this.loraB = loraB;
    }

    public int in() { return weight != null ? (int) weight.dim(1) : packed.cols(); }

    public int out() { return weight != null ? (int) weight.dim(0) : packed.rows(); }

    /** x·Wᵀ through the frozen base matrix alone (the visual-injection path uses no bias, no LoRA). */
    public void baseForward(float[] x, int rows, float[] out) {
        if (weight != null) Ops.matmul(weight, x, rows, out);
        else Ops.matmul(packed, x, rows, out);
    }

    /** out[rows, out] = x[rows, in]·Wᵀ + b + (x·Aᵀ)·Bᵀ. */
    public void forward(float[] x, int rows, float[] out) {
        int o = out();
        baseForward(x, rows, out);
        if (bias != null) {
            for (int r = 0; r < rows; r++) Ops.add(out, r * o, bias, 0, o);
        }
        if (loraA != null) {
            float[] low = new float[rows * (int) loraA.dim(0)];
            Ops.matmul(loraA, x, rows, low);
            float[] up = new float[rows * o];
            Ops.matmul(loraB, low, rows, up);
            Ops.add(out, 0, up, 0, rows * o);
        }
    }

    /** Convenience: a fresh output array. */
    public float[] forward(float[] x, int rows) {
        float[] out = new float[rows * out()];
        forward(x, rows, out);
        return out;
    }
}
