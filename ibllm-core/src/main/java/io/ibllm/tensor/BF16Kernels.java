package io.ibllm.tensor;

import static io.ibllm.tensor.Simd.F;
import static io.ibllm.tensor.Simd.I;
import static io.ibllm.tensor.Simd.L;
import static io.ibllm.tensor.Simd.LE;
import static io.ibllm.tensor.Simd.S;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/** bf16 weights: a bf16 is the top half of an fp32, so widening is one shift. */
final class BF16Kernels implements WeightKernels {
    static final BF16Kernels INSTANCE = new BF16Kernels();

    private BF16Kernels() {}

    static FloatVector load(MemorySegment m, long byteOff) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(S, m, byteOff, LE).convertShape(VectorOperators.S2I, I, 0);
        return Simd.bf16ToF32(h);
    }

    /** Four rows at a time: independent chains, shared x loads. */
    static float bf16(short h) { return Float.intBitsToFloat(h << 16); }

    @Override
    public void matvec(PackedWeight w, float[] x, int xOff, float[] out, int outOff, int r0, int r1) {
        if (!Simd.ENABLED) {
            matvecScalar(w, x, xOff, out, outOff, r0, r1);
            return;
        }
        int n = w.cols();
        MemorySegment m = w.data;
        int r = r0;
        for (; r + 4 <= r1; r += 4) rows4(m, (long) r * n * 2, 2L * n, n, x, xOff, out, outOff + r);
        for (; r < r1; r++) {
            long base = (long) r * n * 2;
            FloatVector a0 = FloatVector.zero(F);
            int i = 0;
            for (; i + L <= n; i += L) a0 = load(m, base + 2L * i).fma(FloatVector.fromArray(F, x, xOff + i), a0);
            float acc = Simd.sum(a0);
            for (; i < n; i++) acc += bf16(m.get(Tensor.I16_LE, base + 2L * i)) * x[xOff + i];
            out[outOff + r] = acc;
        }
    }

    private static void rows4(MemorySegment m, long base, long stride, int n, float[] x, int xOff, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i + L <= n; i += L) {
            FloatVector xv = FloatVector.fromArray(F, x, xOff + i);
            long off = base + 2L * i;
            a0 = load(m, off).fma(xv, a0);
            a1 = load(m, off + stride).fma(xv, a1);
            a2 = load(m, off + 2 * stride).fma(xv, a2);
            a3 = load(m, off + 3 * stride).fma(xv, a3);
        }
        out[o] = Simd.sum(a0) + tail(m, base, i, n, x, xOff);
        out[o + 1] = Simd.sum(a1) + tail(m, base + stride, i, n, x, xOff);
        out[o + 2] = Simd.sum(a2) + tail(m, base + 2 * stride, i, n, x, xOff);
        out[o + 3] = Simd.sum(a3) + tail(m, base + 3 * stride, i, n, x, xOff);
    }

    /** The columns [from, n) a vector did not cover. */
    private static float tail(MemorySegment m, long base, int from, int n, float[] x, int xOff) {
        float sum = 0f;
        for (int j = from; j < n; j++) sum += bf16(m.get(Tensor.I16_LE, base + 2L * j)) * x[xOff + j];
        return sum;
    }

    @Override
    public void matvecScalar(PackedWeight w, float[] x, int xOff, float[] out, int outOff, int r0, int r1) {
        int n = w.cols();
        for (int r = r0; r < r1; r++) {
            float acc = 0f;
            for (int i = 0; i < n; i++) acc += bf16(w.data.get(Tensor.I16_LE, ((long) r * n + i) * 2)) * x[xOff + i];
            out[outOff + r] = acc;
        }
    }

    @Override
    public void dequantRow(PackedWeight w, int row, int k0, int len, float[] dst, int dstOff) {
        long base = ((long) row * w.cols() + k0) * 2;
        int i = 0;
        if (Simd.ENABLED) for (; i + L <= len; i += L) load(w.data, base + 2L * i).intoArray(dst, dstOff + i);
        for (; i < len; i++) dst[dstOff + i] = bf16(w.data.get(Tensor.I16_LE, base + 2L * i));
    }

    @Override
    public void dequantRowScalar(PackedWeight w, int row, int k0, int len, float[] dst, int dstOff) {
        for (int i = 0; i < len; i++) dst[dstOff + i] = bf16(w.data.get(Tensor.I16_LE, ((long) row * w.cols() + k0 + i) * 2));
    }
}
