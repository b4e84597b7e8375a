package io.ibllm.llama;

import io.ibllm.tensor.Ops;
import io.ibllm.tensor.Tensor;

/**
 * A frozen base projection with the ImageBind-LLM fine-tuning parts:
 * y = x·Wᵀ + b + (x·Aᵀ)·Bᵀ. The bias and the LoRA pair are optional; LoRA has no scaling
 * (the reference adds lora_l2(lora_l1(x)) as is). W stays in its stored dtype (fp16 for Meta's
 * weights) and is widened inside the kernel.
 */
public final class AdaptedLinear {
    private final Tensor weight;
    private final Tensor bias;
    private final Tensor loraA;
    private final Tensor loraB;

    /** @param weight [out, in]; bias [out] or null; loraA [r, in] and loraB [out, r], both or neither */
    public AdaptedLinear(Tensor weight, Tensor bias, Tensor loraA, Tensor loraB) {
        if ((loraA == null) != (loraB == null)) throw new IllegalArgumentException("LoRA needs both matrices");
        this.weight = weight;
        this.bias = bias;
        this.loraA = loraA;
        this.loraB = loraB;
    }

    public int in() { return (int) weight.dim(1); }

    public int out() { return (int) weight.dim(0); }

    /** The frozen base matrix, without bias or LoRA (the visual-injection path uses it alone). */
    public Tensor weight() { return weight; }

    /** out[rows, out] = x[rows, in]·Wᵀ + b + (x·Aᵀ)·Bᵀ. */
    public void forward(float[] x, int rows, float[] out) {
        int o = out();
        Ops.linear(weight, bias, x, rows, out);
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
