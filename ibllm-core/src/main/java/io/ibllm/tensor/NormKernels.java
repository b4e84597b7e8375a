package io.ibllm.tensor;

import static io.ibllm.tensor.Simd.F;
import static io.ibllm.tensor.Simd.L;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Row-wise RMSNorm, LayerNorm and softmax with SIMD bodies and scalar twins. */
final class NormKernels {
    private NormKernels() {}

    static float sumSquares(float[] x, int off, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        int i = 0;
        for (; i + 2 * L <= n; i += 2 * L) {
            FloatVector v0 = FloatVector.fromArray(F, x, off + i), v1 = FloatVector.fromArray(F, x, off + i + L);
            a0 = v0.fma(v0, a0);
            a1 = v1.fma(v1, a1);
        }
        float ss = Simd.sum(a0.add(a1));
        for (; i < n; i++) ss += x[off + i] * x[off + i];
        return ss;
    }

    static void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] w, int n, float eps) {
        if (!Simd.ENABLED) {
            rmsnormScalar(out, outOff, x, xOff, w, n, eps);
            return;
        }
        float scale = (float) (1.0 / Math.sqrt(sumSquares(x, xOff, n) / n + eps));
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector.fromArray(F, x, xOff + i).mul(scale).mul(FloatVector.fromArray(F, w, i)).intoArray(out, outOff + i);
        }
        for (; i < n; i++) out[outOff + i] = x[xOff + i] * scale * w[i];
    }

    static void rmsnormScalar(float[] out, int outOff, float[] x, int xOff, float[] w, int n, float eps) {
        float ss = 0f;
        for (int i = 0; i < n; i++) ss += x[xOff + i] * x[xOff + i];
        float scale = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < n; i++) out[outOff + i] = x[xOff + i] * scale * w[i];
    }

    static float sum(float[] x, int off, int n) {
        FloatVector a = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= n; i += L) a = a.add(FloatVector.fromArray(F, x, off + i));
        float s = Simd.sum(a);
        for (; i < n; i++) s += x[off + i];
        return s;
    }

    /** Two passes (mean, then variance of x − mean) as torch.nn.LayerNorm: no E[x²]−E[x]² cancellation. */
    static void layerNorm(float[] out, int outOff, float[] x, int xOff, float[] w, float[] b, int n, float eps) {
        if (!Simd.ENABLED) {
            layerNormScalar(out, outOff, x, xOff, w, b, n, eps);
            return;
        }
        float mean = sum(x, xOff, n) / n;
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector d = FloatVector.fromArray(F, x, xOff + i).sub(mean);
            acc = d.fma(d, acc);
        }
        float var = Simd.sum(acc);
        for (; i < n; i++) var += (x[xOff + i] - mean) * (x[xOff + i] - mean);
        float inv = (float) (1.0 / Math.sqrt(var / n + eps));
        i = 0;
        for (; i + L <= n; i += L) {
            FloatVector v = FloatVector.fromArray(F, x, xOff + i).sub(mean).mul(inv);
            if (w != null) v = v.mul(FloatVector.fromArray(F, w, i));
            if (b != null) v = v.add(FloatVector.fromArray(F, b, i));
            v.intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            float v = (x[xOff + i] - mean) * inv;
            out[outOff + i] = v * (w == null ? 1f : w[i]) + (b == null ? 0f : b[i]);
        }
    }

    static void layerNormScalar(float[] out, int outOff, float[] x, int xOff, float[] w, float[] b, int n, float eps) {
        double mean = 0;
        for (int i = 0; i < n; i++) mean += x[xOff + i];
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) var += (x[xOff + i] - mean) * (x[xOff + i] - mean);
        var /= n;
        float inv = (float) (1.0 / Math.sqrt(var + eps));
        for (int i = 0; i < n; i++) {
            float v = (float) (x[xOff + i] - mean) * inv;
            out[outOff + i] = v * (w == null ? 1f : w[i]) + (b == null ? 0f : b[i]);
        }
    }

    static void softmax(float[] x, int off, int n) {
        if (!Simd.ENABLED || n < L) {
            softmaxScalar(x, off, n);
            return;
        }
        FloatVector mv = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i + L <= n; i += L) mv = mv.max(FloatVector.fromArray(F, x, off + i));
        float max = mv.reduceLanes(VectorOperators.MAX);
        for (; i < n; i++) max = Math.max(max, x[off + i]);
        FloatVector sv = FloatVector.zero(F);
        i = 0;
        for (; i + L <= n; i += L) {
            FloatVector e = Exp.exp(FloatVector.fromArray(F, x, off + i).sub(max));
            e.intoArray(x, off + i);
            sv = sv.add(e);
        }
        float sum = Simd.sum(sv);
        for (; i < n; i++) {
            float e = Exp.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        i = 0;
        for (; i + L <= n; i += L) FloatVector.fromArray(F, x, off + i).mul(inv).intoArray(x, off + i);
        for (; i < n; i++) x[off + i] *= inv;
    }

    static void softmaxScalar(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            float e = Exp.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = 0; i < n; i++) x[off + i] *= inv;
    }
}
