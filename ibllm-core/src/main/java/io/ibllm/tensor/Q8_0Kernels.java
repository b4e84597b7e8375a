package io.ibllm.tensor;

import static io.ibllm.tensor.Simd.B;
import static io.ibllm.tensor.Simd.F;
import static io.ibllm.tensor.Simd.L;
import static io.ibllm.tensor.Simd.LE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q8_0 weights (packed: int8 quants of a row contiguous, fp16 scale per block of 32 apart).
 * Per block the 32 products q·x are summed in two short chains, then scaled once by d; two
 * blocks are in flight at a time so the loop is bound by memory, not by FMA latency.
 */
final class Q8_0Kernels implements WeightKernels {
    static final Q8_0Kernels INSTANCE = new Q8_0Kernels();

    private Q8_0Kernels() {}

    private static FloatVector quants(MemorySegment q, long off) {
        return (FloatVector) ByteVector.fromMemorySegment(B, q, off, LE).convertShape(VectorOperators.B2F, F, 0);
    }

    /** sum_j q[off + j] * x[xo + j] for j < 32. */
    private static FloatVector block(MemorySegment q, long off, float[] x, int xo) {
        FloatVector pa = quants(q, off).mul(FloatVector.fromArray(F, x, xo));
        FloatVector pb = quants(q, off + L).mul(FloatVector.fromArray(F, x, xo + L));
        for (int j = 2 * L; j < 32; j += 2 * L) {
            pa = quants(q, off + j).fma(FloatVector.fromArray(F, x, xo + j), pa);
            pb = quants(q, off + j + L).fma(FloatVector.fromArray(F, x, xo + j + L), pb);
        }
        return pa.add(pb);
    }

    static float scale(MemorySegment scales, long block) {
        return Float.float16ToFloat(scales.get(ValueLayout.JAVA_SHORT, block * 2));
    }

    @Override
    public void matvec(PackedWeight w, float[] x, int xOff, float[] out, int outOff, int r0, int r1) {
        if (!Simd.ENABLED) {
            matvecScalar(w, x, xOff, out, outOff, r0, r1);
            return;
        }
        int n = w.cols(), nb = n / 32;
        MemorySegment q = w.data, s = w.scales;
        for (int r = r0; r < r1; r++) {
            long qBase = (long) r * n, sBase = (long) r * nb;
            FloatVector acc0 = FloatVector.zero(F), acc1 = acc0;
            int b = 0;
            for (; b + 2 <= nb; b += 2) {
                acc0 = block(q, qBase + 32L * b, x, xOff + 32 * b).fma(FloatVector.broadcast(F, scale(s, sBase + b)), acc0);
                acc1 = block(q, qBase + 32L * b + 32, x, xOff + 32 * b + 32).fma(FloatVector.broadcast(F, scale(s, sBase + b + 1)), acc1);
            }
            if (b < nb) acc0 = block(q, qBase + 32L * b, x, xOff + 32 * b).fma(FloatVector.broadcast(F, scale(s, sBase + b)), acc0);
            out[outOff + r] = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        }
    }

    @Override
    public void matvecScalar(PackedWeight w, float[] x, int xOff, float[] out, int outOff, int r0, int r1) {
        int n = w.cols();
        for (int r = r0; r < r1; r++) {
            float acc = 0f;
            for (int i = 0; i < n; i++) {
                long k = (long) r * n + i;
                acc += scale(w.scales, k / 32) * w.data.get(ValueLayout.JAVA_BYTE, k) * x[xOff + i];
            }
            out[outOff + r] = acc;
        }
    }

    @Override
    public void dequantRow(PackedWeight w, int row, int k0, int len, float[] dst, int dstOff) {
        if (!Simd.ENABLED) {
            dequantRowScalar(w, row, k0, len, dst, dstOff);
            return;
        }
        long base = (long) row * w.cols() + k0;
        for (int b = 0; b < len; b += 32) {
            FloatVector d = FloatVector.broadcast(F, scale(w.scales, (base + b) / 32));
            for (int j = 0; j < 32; j += L) quants(w.data, base + b + j).mul(d).intoArray(dst, dstOff + b + j);
        }
    }

    @Override
    public void dequantRowScalar(PackedWeight w, int row, int k0, int len, float[] dst, int dstOff) {
        long base = (long) row * w.cols() + k0;
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = scale(w.scales, (base + i) / 32) * w.data.get(ValueLayout.JAVA_BYTE, base + i);
        }
    }
}
