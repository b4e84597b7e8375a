package io.ibllm.tensor;

import static io.ibllm.tensor.Simd.F;
import static io.ibllm.tensor.Simd.L;
import static io.ibllm.tensor.Simd.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;

/** fp32 weights: plain FMA dot products, four rows (or four accumulators) to hide the FMA latency. */
final class F32Kernels implements WeightKernels {
    static final F32Kernels INSTANCE = new F32Kernels();

    private F32Kernels() {}

    @Override
    public void matvec(PackedWeight w, float[] x, int xOff, float[] out, int outOff, int r0, int r1) {
        if (!Simd.ENABLED) {
            matvecScalar(w, x, xOff, out, outOff, r0, r1);
            return;
        }
        int n = w.cols();
        int r = r0;
        for (; r + 4 <= r1; r += 4) rows4(w.data, (long) r * n * 4, 4L * n, n, x, xOff, out, outOff + r);
        for (; r < r1; r++) out[outOff + r] = dot(w.data, (long) r * n * 4, x, xOff, n);
    }

    /** Four rows at a time: four independent chains, one x load per step for all four. */
    private static void rows4(MemorySegment m, long base, long stride, int n, float[] x, int xOff, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
            long off = base + 4L * i;
            a0 = FloatVector.fromMemorySegment(F, m, off, LE).fma(xv, a0);
            a1 = FloatVector.fromMemorySegment(F, m, off + stride, LE).fma(xv, a1);
            a2 = FloatVector.fromMemorySegment(F, m, off + 2 * stride, LE).fma(xv, a2);
            a3 = FloatVector.fromMemorySegment(F, m, off + 3 * stride, LE).fma(xv, a3);
        }
        out[o] = Simd.sum(a0) + tail(m, base, i, n, x, xOff);
        out[o + 1] = Simd.sum(a1) + tail(m, base + stride, i, n, x, xOff);
        out[o + 2] = Simd.sum(a2) + tail(m, base + 2 * stride, i, n, x, xOff);
        out[o + 3] = Simd.sum(a3) + tail(m, base + 3 * stride, i, n, x, xOff);
    }

    private static float tail(MemorySegment m, long base, int from, int n, float[] x, int xOff) {
        float sum = 0f;
        for (int j = from; j < n; j++) sum += m.get(Tensor.F32_LE, base + 4L * j) * x[xOff + j];
        return sum;
    }

    static float dot(MemorySegment m, long base, float[] x, int xOff, int n) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + 4 * L <= n; i += 4 * L) {
            long o = base + (long) i * 4;
            a0 = FloatVector.fromMemorySegment(F, m, o, LE).fma(FloatVector.fromArray(F, x, xOff + i), a0);
            a1 = FloatVector.fromMemorySegment(F, m, o + 4L * L, LE).fma(FloatVector.fromArray(F, x, xOff + i + L), a1);
            a2 = FloatVector.fromMemorySegment(F, m, o + 8L * L, LE).fma(FloatVector.fromArray(F, x, xOff + i + 2 * L), a2);
            a3 = FloatVector.fromMemorySegment(F, m, o + 12L * L, LE).fma(FloatVector.fromArray(F, x, xOff + i + 3 * L), a3);
        }
        for (; i + L <= n; i += L) {
            a0 = FloatVector.fromMemorySegment(F, m, base + (long) i * 4, LE).fma(FloatVector.fromArray(F, x, xOff + i), a0);
        }
        float acc = Simd.sum(a0.add(a1).add(a2.add(a3)));
        for (; i < n; i++) acc += m.get(Tensor.F32_LE, base + (long) i * 4) * x[xOff + i];
        return acc;
    }

    @Override
    public void matvecScalar(PackedWeight w, float[] x, int xOff, float[] out, int outOff, int r0, int r1) {
        int n = w.cols();
        for (int r = r0; r < r1; r++) {
            float acc = 0f;
            for (int i = 0; i < n; i++) acc += w.data.get(Tensor.F32_LE, ((long) r * n + i) * 4) * x[xOff + i];
            out[outOff + r] = acc;
        }
    }

    @Override
    public void dequantRow(PackedWeight w, int row, int k0, int len, float[] dst, int dstOff) {
        MemorySegment.copy(w.data, Tensor.F32_LE, ((long) row * w.cols() + k0) * 4, dst, dstOff, len);
    }

    @Override
    public void dequantRowScalar(PackedWeight w, int row, int k0, int len, float[] dst, int dstOff) {
        for (int i = 0; i < len; i++) dst[dstOff + i] = w.data.get(Tensor.F32_LE, ((long) row * w.cols() + k0 + i) * 4);
    }
}
