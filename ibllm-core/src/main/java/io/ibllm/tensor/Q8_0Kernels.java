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
 */
final class Q8_0Kernels implements WeightKernels {
    static final Q8_0Kernels INSTANCE = new Q8_0Kernels();

    private Q8_0Kernels() {}

    private static FloatVector quants(MemorySegment q, long off) {
        return (FloatVector) ByteVector.fromMemorySegment(B, q, off, LE).convertShape(VectorOperators.B2F, F, 0);
    }

    static float scale(MemorySegment scales, long block) {
        return Float.float16ToFloat(scales.get(ValueLayout.JAVA_SHORT, block * 2));
    }

    private static final ThreadLocal<float[]> SCALES = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * Four rows at a time, stepping 2·L columns: the x vectors are loaded once for four rows,
     * each row's quants are widened, multiplied, summed and scaled by their block's d (the fp16
     * scales of the four rows are widened up front in one vector pass) into the row's own chain. The loop body is
     * as small as the F16 kernel's on purpose: C2 stops inlining Vector API calls in large
     * methods, and a vector op that is not inlined allocates (10-100× slower).
     */
    @Override
    public void matvec(PackedWeight w, float[] x, int xOff, float[] out, int outOff, int r0, int r1) {
        if (!Simd.ENABLED) {
            matvecScalar(w, x, xOff, out, outOff, r0, r1);
            return;
        }
        int n = w.cols(), nb = n / 32;
        float[] sc = Simd.scratch(SCALES, 4 * nb);
        int r = r0;
        for (; r + 4 <= r1; r += 4) {
            Simd.f16ToF32(w.scales, (long) r * nb, 4 * nb, sc);
            rows4(w.data, (long) r * n, n, nb, sc, x, xOff, out, outOff + r);
        }
        for (; r < r1; r++) {
            Simd.f16ToF32(w.scales, (long) r * nb, nb, sc);
            long base = (long) r * n;
            FloatVector acc = FloatVector.zero(F);
            for (int i = 0; i < n; i += L) {
                acc = quants(w.data, base + i).mul(sc[i >> 5]).fma(FloatVector.fromArray(F, x, xOff + i), acc);
            }
            out[outOff + r] = acc.reduceLanes(VectorOperators.ADD);
        }
    }

    /** Two vectors of columns per step (half or all of a block), scaled once per step. */
    private static void rows4(MemorySegment q, long base, int n, int nb, float[] sc, float[] x, int xOff, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        long n2 = 2L * n, n3 = 3L * n;
        for (int i = 0; i < n; i += 2 * L) {
            FloatVector x0 = FloatVector.fromArray(F, x, xOff + i), x1 = FloatVector.fromArray(F, x, xOff + i + L);
            long off = base + i;
            int b = i >> 5;
            a0 = quants(q, off).mul(x0).add(quants(q, off + L).mul(x1)).fma(FloatVector.broadcast(F, sc[b]), a0);
            a1 = quants(q, off + n).mul(x0).add(quants(q, off + n + L).mul(x1)).fma(FloatVector.broadcast(F, sc[nb + b]), a1);
            a2 = quants(q, off + n2).mul(x0).add(quants(q, off + n2 + L).mul(x1)).fma(FloatVector.broadcast(F, sc[2 * nb + b]), a2);
            a3 = quants(q, off + n3).mul(x0).add(quants(q, off + n3 + L).mul(x1)).fma(FloatVector.broadcast(F, sc[3 * nb + b]), a3);
        }
        out[o] = a0.reduceLanes(VectorOperators.ADD);
        out[o + 1] = a1.reduceLanes(VectorOperators.ADD);
        out[o + 2] = a2.reduceLanes(VectorOperators.ADD);
        out[o + 3] = a3.reduceLanes(VectorOperators.ADD);
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
