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
 * Q4_0 weights (packed: the 16 nibble bytes of each block contiguous per row, GGML order: byte k
 * holds value k low and value k+16 high; fp16 scales apart). Unpacking is what costs, so the
 * kernel does as little per nibble as possible:
 * <ul>
 * <li>one int load of L lanes brings 8·L nibbles (one block per 4 lanes); nibble k of each lane
 *     is used in place as 16^k·q (one mask, no shift, except the top nibble: one shift) against
 *     x reordered to that lane order and pre-scaled by 16^−k (exact: powers of two), prepared
 *     once per call;</li>
 * <li>the −8 offset is not subtracted per value: Σ(q−8)·x·d = d·Σq·x − 8·d·Σx, with the block
 *     sums Σx also prepared once per call.</li>
 * </ul>
 */
final class Q4_0Kernels implements WeightKernels {
    static final Q4_0Kernels INSTANCE = new Q4_0Kernels();

    /** Columns per step: 8 nibbles in each of L int lanes. */
    private static final int GROUP = 8 * L;
    /**
     * Within a group, xp[L·k + j] holds the column of nibble k of int lane j (lane j covers bytes
     * 4j..4j+3 of the group, block j/4; nibble k is byte k/2's low half for even k, high for odd),
     * pre-scaled by 16^−k (the top nibble, shifted down, by 1).
     */
    private static final int[] LANE_COLUMN = Simd.permutation(GROUP, m -> {
        int j = m % L, k = m / L;
        return 32 * (j / 4) + 4 * (j % 4) + k / 2 + 16 * (k % 2);
    });
    private static final float[] LANE_SCALE = new float[GROUP];
    static {
        for (int m = 0; m < GROUP; m++) LANE_SCALE[m] = m / L == 7 ? 1f : Math.scalb(1f, -4 * (m / L));
    }
    /** Lane j belongs to block j / 4 of the group. */
    private static final VectorShuffle<Float> BLOCK_OF_LANE = VectorShuffle.fromOp(F, j -> j / 4);

    /** Per thread: x reordered and pre-scaled (LANE_COLUMN, LANE_SCALE), then the block sums of x. */
    private static final ThreadLocal<float[]> PREPARED = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<float[]> SCALES = ThreadLocal.withInitial(() -> new float[0]);

    private Q4_0Kernels() {}

    private static float[] prepare(float[] x, int xOff, int n, int full) {
        float[] p = Simd.scratch(PREPARED, n + n / 32);
        for (int g = 0; g < full; g += GROUP) {
            for (int m = 0; m < GROUP; m++) p[g + m] = x[xOff + g + LANE_COLUMN[m]] * LANE_SCALE[m];
        }
        for (int b = 0; b < n / 32; b++) {
            float sum = 0f;
            for (int j = 0; j < 32; j++) sum += x[xOff + 32 * b + j];
            p[n + b] = sum;
        }
        return p;
    }

    private static IntVector nibbles(MemorySegment q, long off) {
        return (IntVector) ByteVector.fromMemorySegment(B, q, off, LE).convertShape(VectorOperators.B2I, I, 0);
    }

    private static FloatVector f(IntVector v) {
        return (FloatVector) v.convert(VectorOperators.I2F, 0);
    }

    /**
     * One row at a time (two rows in one loop overflow C2's inlining budget: measured 5x slower).
     * Measured 1.2x faster than widening 8-byte loads into nibble pairs. The −8 term is one dot
     * of the row's scales with the block sums.
     */
    @Override
    public void matvec(PackedWeight w, float[] x, int xOff, float[] out, int outOff, int r0, int r1) {
        if (!Simd.ENABLED) {
            matvecScalar(w, x, xOff, out, outOff, r0, r1);
            return;
        }
        int n = w.cols(), nb = n / 32, full = n / GROUP * GROUP;
        float[] xp = prepare(x, xOff, n, full);
        float[] sc = Simd.scratch(SCALES, nb + L);
        for (int r = r0; r < r1; r++) {
            Simd.f16ToF32(w.scales, (long) r * nb, nb, sc);
            long base = (long) r * n / 2;
            float dot = groups(w.data, base, full, sc, xp) + tail(w.data, base, full, n, sc, x, xOff);
            out[outOff + r] = dot - 8f * Simd.dot(sc, 0, xp, n, nb);
        }
    }

    /** Σ d·Σq·x (without the −8 term) over the first len columns of a row (nibbles from byte base). */
    private static float groups(MemorySegment q, long base, int len, float[] sc, float[] xp) {
        FloatVector acc = FloatVector.zero(F);
        for (int i = 0; i < len; i += GROUP) {
            IntVector v = IntVector.fromMemorySegment(I, q, base + i / 2, LE);
            FloatVector p = f(v.and(0xF)).mul(FloatVector.fromArray(F, xp, i));
            FloatVector p2 = f(v.and(0xF0)).mul(FloatVector.fromArray(F, xp, i + L));
            p = f(v.and(0xF00)).fma(FloatVector.fromArray(F, xp, i + 2 * L), p);
            p2 = f(v.and(0xF000)).fma(FloatVector.fromArray(F, xp, i + 3 * L), p2);
            p = f(v.and(0xF0000)).fma(FloatVector.fromArray(F, xp, i + 4 * L), p);
            p2 = f(v.and(0xF00000)).fma(FloatVector.fromArray(F, xp, i + 5 * L), p2);
            p = f(v.and(0xF000000)).fma(FloatVector.fromArray(F, xp, i + 6 * L), p);
            p2 = f(v.lanewise(VectorOperators.LSHR, 28)).fma(FloatVector.fromArray(F, xp, i + 7 * L), p2);
            acc = p.add(p2).fma(FloatVector.fromArray(F, sc, i >> 5).rearrange(BLOCK_OF_LANE), acc);
        }
        return Simd.sum(acc);
    }

    /** Σ d·Σq·x over columns [from, n) when n is not a multiple of the group (whole blocks). */
    private static float tail(MemorySegment q, long base, int from, int n, float[] sc, float[] x, int xOff) {
        float acc = 0f;
        for (int i = from; i < n; i++) {
            int b = Byte.toUnsignedInt(q.get(ValueLayout.JAVA_BYTE, base + (i / 32) * 16 + (i % 16)));
            acc += sc[i >> 5] * ((i % 32) < 16 ? b & 0x0F : b >>> 4) * x[xOff + i];
        }
        return acc;
    }

    static int nibble(MemorySegment q, long k) {
        int byteVal = Byte.toUnsignedInt(q.get(ValueLayout.JAVA_BYTE, (k / 32) * 16 + (k % 16)));
        return (k % 32) < 16 ? byteVal & 0x0F : byteVal >>> 4;
    }

    @Override
    public void matvecScalar(PackedWeight w, float[] x, int xOff, float[] out, int outOff, int r0, int r1) {
        int n = w.cols();
        for (int r = r0; r < r1; r++) {
            float acc = 0f;
            for (int i = 0; i < n; i++) {
                long k = (long) r * n + i;
                acc += Q8_0Kernels.scale(w.scales, k / 32) * (nibble(w.data, k) - 8) * x[xOff + i];
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
            float d = Q8_0Kernels.scale(w.scales, (base + b) / 32);
            long off = (base + b) / 2;
            for (int j = 0; j < 16; j += L) {
                IntVector v = nibbles(w.data, off + j);
                ((FloatVector) v.and(0x0F).sub(8).convert(VectorOperators.I2F, 0)).mul(d).intoArray(dst, dstOff + b + j);
                ((FloatVector) v.lanewise(VectorOperators.ASHR, 4).and(0x0F).sub(8).convert(VectorOperators.I2F, 0))
                        .mul(d).intoArray(dst, dstOff + b + 16 + j);
            }
        }
    }

    @Override
    public void dequantRowScalar(PackedWeight w, int row, int k0, int len, float[] dst, int dstOff) {
        long base = (long) row * w.cols() + k0;
        for (int i = 0; i < len; i++) {
            dst[dstOff + i] = Q8_0Kernels.scale(w.scales, (base + i) / 32) * (nibble(w.data, base + i) - 8);
        }
    }
}
