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

/**
 * Q4_0 weights (packed: the 16 nibble bytes of each block contiguous per row, GGML order: byte k
 * holds value k low and value k+16 high; fp16 scales apart). Unpacking is what costs, so the
 * kernel does as little per byte as possible:
 * <ul>
 * <li>the high nibble is used in place as 16·q (mask, no shift) against x pre-scaled by 1/16
 *     (exact: a power of two), prepared once per call;</li>
 * <li>the −8 offset is not subtracted per value: Σ(q−8)·x·d = d·Σq·x − 8·d·Σx, with the block
 *     sums Σx also prepared once per call.</li>
 * </ul>
 */
final class Q4_0Kernels implements WeightKernels {
    static final Q4_0Kernels INSTANCE = new Q4_0Kernels();

    /** Per thread: x with the high half of each block scaled by 1/16, then the block sums of x. */
    private static final ThreadLocal<float[]> PREPARED = ThreadLocal.withInitial(() -> new float[0]);

    private Q4_0Kernels() {}

    private static float[] prepare(float[] x, int xOff, int n) {
        float[] p = Simd.scratch(PREPARED, n + n / 32);
        for (int b = 0; b < n / 32; b++) {
            float sum = 0f;
            for (int j = 0; j < 32; j++) {
                float v = x[xOff + 32 * b + j];
                sum += v;
                p[32 * b + j] = j < 16 ? v : v * 0.0625f;
            }
            p[n + b] = sum;
        }
        return p;
    }

    private static IntVector nibbles(MemorySegment q, long off) {
        return (IntVector) ByteVector.fromMemorySegment(B, q, off, LE).convertShape(VectorOperators.B2I, I, 0);
    }

    private static FloatVector low(IntVector v) {
        return (FloatVector) v.and(0x0F).convert(VectorOperators.I2F, 0);
    }

    /** The high nibble left in place: 16·q. */
    private static FloatVector high16(IntVector v) {
        return (FloatVector) v.and(0xF0).convert(VectorOperators.I2F, 0);
    }

    private static final ThreadLocal<float[]> SCALES = ThreadLocal.withInitial(() -> new float[0]);

    /**
     * Two rows at a time with 512-bit vectors; one row at a time below (with 8 lanes a block
     * takes two nibble loads per row, and two rows overflow C2's inlining budget: measured 5x
     * slower). The −8 term is one dot of the row's scales with the block sums.
     */
    @Override
    public void matvec(PackedWeight w, float[] x, int xOff, float[] out, int outOff, int r0, int r1) {
        if (!Simd.ENABLED) {
            matvecScalar(w, x, xOff, out, outOff, r0, r1);
            return;
        }
        int n = w.cols(), nb = n / 32;
        float[] xs = prepare(x, xOff, n);
        float[] sc = Simd.scratch(SCALES, 2 * nb);
        int r = r0;
        if (L >= 16) {
            for (; r + 2 <= r1; r += 2) {
                Simd.f16ToF32(w.scales, (long) r * nb, 2 * nb, sc);
                rows2(w.data, (long) r * n / 2, n / 2, nb, sc, xs, out, outOff + r);
                out[outOff + r] -= 8f * Simd.dot(sc, 0, xs, n, nb);
                out[outOff + r + 1] -= 8f * Simd.dot(sc, nb, xs, n, nb);
            }
        }
        for (; r < r1; r++) {
            Simd.f16ToF32(w.scales, (long) r * nb, nb, sc);
            out[outOff + r] = row(w.data, (long) r * n / 2, nb, sc, xs) - 8f * Simd.dot(sc, 0, xs, n, nb);
        }
    }

    private static float row(MemorySegment q, long base, int nb, float[] sc, float[] xs) {
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < nb; b++) acc = blockDot(q, base + 16L * b, xs, 32 * b).fma(FloatVector.broadcast(F, sc[b]), acc);
        return acc.reduceLanes(VectorOperators.ADD);
    }

    /** Σ d·Σq·x (without the −8 term) for two rows whose nibbles are rowBytes apart. */
    private static void rows2(MemorySegment q, long base, int rowBytes, int nb, float[] sc, float[] xs, float[] out, int o) {
        FloatVector a0 = FloatVector.zero(F), a1 = a0;
        for (int b = 0; b < nb; b++) {
            long off = base + 16L * b;
            int xo = 32 * b;
            a0 = blockDot(q, off, xs, xo).fma(FloatVector.broadcast(F, sc[b]), a0);
            a1 = blockDot(q, off + rowBytes, xs, xo).fma(FloatVector.broadcast(F, sc[nb + b]), a1);
        }
        out[o] = a0.reduceLanes(VectorOperators.ADD);
        out[o + 1] = a1.reduceLanes(VectorOperators.ADD);
    }

    /** Σ q·x over one block (q in 0..15, no −8; x prepared: high half pre-divided by 16). */
    private static FloatVector blockDot(MemorySegment q, long off, float[] xs, int xo) {
        IntVector v = nibbles(q, off);
        FloatVector p = high16(v).fma(FloatVector.fromArray(F, xs, xo + 16), low(v).mul(FloatVector.fromArray(F, xs, xo)));
        for (int j = L; j < 16; j += L) {
            v = nibbles(q, off + j);
            p = high16(v).fma(FloatVector.fromArray(F, xs, xo + 16 + j), low(v).fma(FloatVector.fromArray(F, xs, xo + j), p));
        }
        return p;
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
