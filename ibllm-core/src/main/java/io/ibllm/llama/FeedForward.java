package io.ibllm.llama;

import io.ibllm.tensor.Ops;

/** SwiGLU: w2(silu(w1·x) ⊙ w3·x), each projection with its bias and LoRA. */
public final class FeedForward {
    private final AdaptedLinear w1, w2, w3;

    public FeedForward(AdaptedLinear w1, AdaptedLinear w2, AdaptedLinear w3) {
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
    }

    public float[] forward(float[] x, int rows) {
        float[] a = w1.forward(x, rows);
        float[] c = w3.forward(x, rows);
        Ops.swiglu(a, 0, c, 0, a.length);
        return w2.forward(a, rows);
    }
}
