package io.ibllm.train.nn;

import io.ibllm.tensor.MatmulBackward;
import io.ibllm.tensor.Ops;
import io.ibllm.tensor.PackedWeight;
import io.ibllm.tensor.Tensor;
import io.ibllm.train.Param;

/**
 * y = x·Wᵀ + b + (x·Aᵀ)·Bᵀ. W is either a frozen base tensor (any dtype, gradients flow through
 * it to x) or a trainable parameter; the bias and the LoRA pair (A [r, in], B [out, r], no
 * scaling) are optional. The forward saves x and x·Aᵀ, which is all the backward needs.
 */
public final class Linear {
    public final int in;
    public final int out;
    private final PackedWeight frozen;
    private final Param weight;
    private final Param bias;
    private final Param loraA;
    private final Param loraB;
    private final int rank;

    private float[] x;
    private float[] xa;
    private int rows;

    public Linear(int in, int out, Tensor frozen, Param weight, Param bias, Param loraA, Param loraB) {
        if ((frozen == null) == (weight == null)) throw new IllegalArgumentException("exactly one of frozen/trainable weight");
        if ((loraA == null) != (loraB == null)) throw new IllegalArgumentException("LoRA needs both A and B");
        this.in = in;
        this.out = out;
        this.frozen = frozen == null ? null : Ops.prepare(frozen);
        this.weight = weight;
        this.bias = bias;
        this.loraA = loraA;
        this.loraB = loraB;
        this.rank = loraA == null ? 0 : loraA.size() / in;
    }

    public float[] forward(float[] input, int rows) {
        this.x = input;
        this.rows = rows;
        float[] y = new float[rows * out];
        if (frozen != null) Ops.matmul(frozen, input, rows, y);
        else Mat.mulTransB(input, rows, in, weight.data, out, y);
        if (bias != null) {
            for (int n = 0; n < rows; n++) for (int o = 0; o < out; o++) y[n * out + o] += bias.data[o];
        }
        if (rank > 0) {
            xa = new float[rows * rank];
            Mat.mulTransB(input, rows, in, loraA.data, rank, xa);
            float[] l = new float[rows * out];
            Mat.mulTransB(xa, rows, rank, loraB.data, out, l);
            for (int i = 0; i < y.length; i++) y[i] += l[i];
        }
        return y;
    }

    /** Accumulates parameter gradients; returns dx, or null when {@code needInputGrad} is false. */
    public float[] backward(float[] dy, boolean needInputGrad) {
        if (weight != null && weight.trainable()) Mat.accTransA(dy, x, rows, out, in, weight.grad);
        if (bias != null && bias.trainable()) {
            for (int n = 0; n < rows; n++) for (int o = 0; o < out; o++) bias.grad[o] += dy[n * out + o];
        }
        float[] dx = needInputGrad ? new float[rows * in] : null;
        if (rank > 0) {
            if (loraB.trainable()) Mat.accTransA(dy, xa, rows, out, rank, loraB.grad);
            float[] dxa = new float[rows * rank];
            Mat.mulAcc(dy, rows, out, loraB.data, rank, dxa);
            if (loraA.trainable()) Mat.accTransA(dxa, x, rows, rank, in, loraA.grad);
            if (dx != null) Mat.mulAcc(dxa, rows, rank, loraA.data, in, dx);
        }
        if (dx != null) {
            if (frozen != null) MatmulBackward.accumulate(frozen, dy, rows, dx);
            else Mat.mulAcc(dy, rows, out, weight.data, in, dx);
        }
        return dx;
    }
}
