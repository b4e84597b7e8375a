package io.ibllm.tensor;

import static io.ibllm.tensor.Simd.B;
import static io.ibllm.tensor.Simd.F;
import static io.ibllm.tensor.Simd.I;
import static io.ibllm.tensor.Simd.L;
import static io.ibllm.tensor.Simd.LE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

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
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[0]);

    /** Columns per step: one int load of L lanes holds 4·L quants (one block per 8 lanes). */
    private static final int GROUP = 4 * L;
    /** Within a group, xp[L·k + j] = x[4·j + k]: the column whose quant is byte k of int lane j. */
    private static final int[] LANE_COLUMN = Simd.permutation(GROUP, m -> 4 * (m % L) + m / L);
    /** Lane j belongs to block j / 8 of the group. */
    private static final VectorShuffle<Float> BLOCK_OF_LANE = VectorShuffle.fromOp(F, j -> j / 8);

    /**
     * One row at a time (C2 stops inlining Vector API calls past a node budget: two rows in one
     * loop measured 5x slower). The quants are read as int lanes, four per lane, and sign-
     * extended in registers by shifts (v&lt;&lt;24&gt;&gt;24 …) against x reordered once per call to
     * match; this replaced four byte loads with widening per 32 quants and measured 1.25x faster
     * (the widening load was the bottleneck). Each block's d scales the block's partial sum.
     */
    @Override
    public void matvec(PackedWeight w, float[] x, int xOff, float[] out, int outOff, int r0, int r1) {
        if (!Simd.ENABLED) {
            matvecScalar(w, x, xOff, out, outOff, r0, r1);
            return;
        }
        int n = w.cols(), nb = n / 32, full = n / GROUP * GROUP;
        float[] xp = Simd.reorder(LANES, x, xOff, full, LANE_COLUMN);
        float[] sc = Simd.scratch(SCALES, nb + L);
        for (int r = r0; r < r1; r++) {
            Simd.f16ToF32(w.scales, (long) r * nb, nb, sc);
            long base = (long) r * n;
            out[outOff + r] = groups(w.data, base, full, sc, xp) + tail(w.data, base, full, n, sc, x, xOff);
        }
    }

    private static FloatVector signedByte(IntVector v, int shiftLeft) {
        return (FloatVector) v.lanewise(VectorOperators.LSHL, shiftLeft).lanewise(VectorOperators.ASHR, 24)
                .convert(VectorOperators.I2F, 0);
    }

    private static float groups(MemorySegment q, long base, int len, float[] sc, float[] xp) {
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < len; i += GROUP) {
            IntVector v = IntVector.fromMemorySegment(I, q, base + i, LE);
            FloatVector p = signedByte(v, 24).mul(FloatVector.fromArray(F, xp, i));
            FloatVector p2 = signedByte(v, 16).mul(FloatVector.fromArray(F, xp, i + L));
            p = signedByte(v, 8).fma(FloatVector.fromArray(F, xp, i + 2 * L), p);
            p2 = ((FloatVector) v.lanewise(VectorOperators.ASHR, 24).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(F, xp, i + 3 * L), p2);
            FloatVector d = L == 8 ? FloatVector.broadcast(F, sc[i >> 5])
                    : FloatVector.fromArray(F, sc, i >> 5).rearrange(BLOCK_OF_LANE);
            acc = p.add(p2).fma(d, acc);
        }
        return Simd.sum(acc);
    }

    /** Columns [from, n) when n is not a multiple of the group (whole blocks, L ≤ 32). */
    private static float tail(MemorySegment q, long base, int from, int n, float[] sc, float[] x, int xOff) {
        if (from == n) return 0f;
        FloatVector acc = FloatVector.zero(F);
        for (int i = from; i < n; i += L) {
            acc = quants(q, base + i).mul(sc[i >> 5]).fma(FloatVector.fromArray(F, x, xOff + i), acc);
        }
        return Simd.sum(acc);
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
