package io.ibllm.tensor;

import static io.ibllm.tensor.Simd.F;
import static io.ibllm.tensor.Simd.L;

import jdk.incubator.vector.FloatVector;

/** Element-wise activations over arrays (SIMD; e^x from {@link Exp}, the same bits compiled or not). */
final class Activations {
    private Activations() {}

    /** x ← silu(x) = x·σ(x). */
    static void silu(float[] x, int off, int n) {
        int i = 0;
        if (Simd.ENABLED) {
            for (; i + L <= n; i += L) {
                FloatVector v = FloatVector.fromArray(F, x, off + i);
                v.div(Exp.exp(v.neg()).add(1f)).intoArray(x, off + i);
            }
        }
        for (; i < n; i++) x[off + i] = Ops.silu(x[off + i]);
    }

    /** gate ← silu(gate)·up, the SwiGLU of LLaMA's feed-forward. */
    static void swiglu(float[] gate, int gOff, float[] up, int uOff, int n) {
        int i = 0;
        if (Simd.ENABLED) {
            for (; i + L <= n; i += L) {
                FloatVector v = FloatVector.fromArray(F, gate, gOff + i);
                v.div(Exp.exp(v.neg()).add(1f)).mul(FloatVector.fromArray(F, up, uOff + i))
                        .intoArray(gate, gOff + i);
            }
        }
        for (; i < n; i++) gate[gOff + i] = Ops.silu(gate[gOff + i]) * up[uOff + i];
    }

    static void siluScalar(float[] x, int off, int n) {
        for (int i = 0; i < n; i++) x[off + i] = Ops.silu(x[off + i]);
    }

    /** x ← exact (erf) GELU, vectorised ({@link GeluKernel}) and split over threads when large. */
    static void gelu(float[] x, int off, int n) {
        if (n < 16384) {
            GeluKernel.gelu(x, off, n);
            return;
        }
        Parallel.forRange(n, 64, (s, e) -> GeluKernel.gelu(x, off + s, e - s));
    }

    static void geluScalar(float[] x, int off, int n) {
        for (int i = 0; i < n; i++) x[off + i] = Ops.gelu(x[off + i]);
    }
}
