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

/**
 * fp16 weights. The Vector API has no half-float conversion, so halves are widened with integer
 * ops ({@link Simd#f16ToF32}); two accumulators keep the FMA chain short.
 */
final class F16Kernels implements WeightKernels {
    static final F16Kernels INSTANCE = new F16Kernels();

    private F16Kernels() {}

    static FloatVector load(MemorySegment m, long byteOff) {
        IntVector h = (IntVector) ShortVector.fromMemorySegment(S, m, byteOff, LE).convertShape(VectorOperators.S2I, I, 0);
        return Simd.f16ToF32(h);
    }

    @Override
    public void matvec(PackedWeight w, float[] x, int xOff, float[] out, int outOff, int r0, int r1) {
        if (!Simd.ENABLED) {
            matvecScalar(w, x, xOff, out, outOff, r0, r1);
            return;
        }
        int n = w.cols();
        MemorySegment m = w.data;
        for (int r = r0; r < r1; r++) {
            long base = (long) r * n * 2;
            FloatVector a0 = FloatVector.zero(F), a1 = a0;
            int i = 0;
            for (; i + 2 * L <= n; i += 2 * L) {
                a0 = load(m, base + 2L * i).fma(FloatVector.fromArray(F, x, xOff + i), a0);
                a1 = load(m, base + 2L * (i + L)).fma(FloatVector.fromArray(F, x, xOff + i + L), a1);
            }
            for (; i + L <= n; i += L) a0 = load(m, base + 2L * i).fma(FloatVector.fromArray(F, x, xOff + i), a0);
            float acc = a0.add(a1).reduceLanes(VectorOperators.ADD);
            for (; i < n; i++) acc += Float.float16ToFloat(m.get(Tensor.I16_LE, base + 2L * i)) * x[xOff + i];
            out[outOff + r] = acc;
        }
    }

    @Override
    public void matvecScalar(PackedWeight w, float[] x, int xOff, float[] out, int outOff, int r0, int r1) {
        int n = w.cols();
        for (int r = r0; r < r1; r++) {
            float acc = 0f;
            for (int i = 0; i < n; i++) acc += Float.float16ToFloat(w.data.get(Tensor.I16_LE, ((long) r * n + i) * 2)) * x[xOff + i];
            out[outOff + r] = acc;
        }
    }

    @Override
    public void dequantRow(PackedWeight w, int row, int k0, int len, float[] dst, int dstOff) {
        long base = ((long) row * w.cols() + k0) * 2;
        int i = 0;
        if (Simd.ENABLED) for (; i + L <= len; i += L) load(w.data, base + 2L * i).intoArray(dst, dstOff + i);
        for (; i < len; i++) dst[dstOff + i] = Float.float16ToFloat(w.data.get(Tensor.I16_LE, base + 2L * i));
    }

    @Override
    public void dequantRowScalar(PackedWeight w, int row, int k0, int len, float[] dst, int dstOff) {
        for (int i = 0; i < len; i++) dst[dstOff + i] = Float.float16ToFloat(w.data.get(Tensor.I16_LE, ((long) row * w.cols() + k0 + i) * 2));
    }
}
