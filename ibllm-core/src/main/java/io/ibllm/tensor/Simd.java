package io.ibllm.tensor;

import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector shapes the kernels use: {@code L} float lanes (the preferred width, capped at 512
 * bits) and byte/short/int species with the same lane count, so one load of L quants widens into
 * one float vector. Below 8 lanes (no AVX2-class SIMD) the kernels take their scalar twins.
 */
final class Simd {
    static final VectorSpecies<Float> F = species(Integer.getInteger("ibllm.vectorBits", 0));
    static final int L = F.length();
    static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    static final boolean ENABLED = L >= 8;
    static final VectorSpecies<Byte> B = ENABLED
            ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : ByteVector.SPECIES_64;
    static final VectorSpecies<Short> S = ENABLED
            ? VectorSpecies.of(short.class, VectorShape.forBitSize(L * 16)) : ShortVector.SPECIES_64;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** 2^112: scales an fp16 exponent/mantissa placed in fp32 bit positions to its value. */
    private static final float F16_SCALE = 0x1p112f;

    private Simd() {}

    /**
     * The preferred float species capped at 512 bits; {@code -Dibllm.vectorBits=256|512} forces a
     * width, so the lane-order logic of each width can be tested on any CPU (a width the CPU lacks
     * runs correctly but without SIMD).
     */
    private static VectorSpecies<Float> species(int bits) {
        if (bits == 256) return FloatVector.SPECIES_256;
        if (bits == 512) return FloatVector.SPECIES_512;
        return FloatVector.SPECIES_PREFERRED.length() > 16 ? FloatVector.SPECIES_512 : FloatVector.SPECIES_PREFERRED;
    }

    /**
     * Exact fp16 → fp32 for L halves already sign-extended into int lanes: shifting left 13 puts
     * exponent and mantissa into place and copies of the sign into bits 28-31; masking bits 28-30
     * leaves the sign; ×2^112 rebiases the exponent (subnormals included). Inf/NaN (exponent 31)
     * would come out as 65536+, so they are patched to fp32 inf/NaN.
     */
    static FloatVector f16ToF32(IntVector h) {
        IntVector bits = h.lanewise(VectorOperators.LSHL, 13).and(0x8FFFFFFF);
        FloatVector f = bits.reinterpretAsFloats().mul(F16_SCALE);
        var special = f.abs().compare(VectorOperators.GT, 65504f);
        if (special.anyTrue()) {
            f = f.blend(bits.or(0x7F800000).reinterpretAsFloats(), special);
        }
        return f;
    }

    /** As {@link #f16ToF32(IntVector)} for halves known to be finite (no inf/NaN): 3 ops. */
    static FloatVector finiteF16ToF32(IntVector h) {
        return h.lanewise(VectorOperators.LSHL, 13).and(0x8FFFFFFF).reinterpretAsFloats().mul(F16_SCALE);
    }

    /** Whether any of the count halves from byte offset 0 of m is inf or NaN (exponent 31). */
    static boolean anyF16InfOrNaN(java.lang.foreign.MemorySegment m, long count) {
        long i = 0;
        if (ENABLED) {
            for (; i + L <= count; i += L) {
                ShortVector h = ShortVector.fromMemorySegment(S, m, 2 * i, LE).and((short) 0x7C00);
                if (h.compare(VectorOperators.EQ, (short) 0x7C00).anyTrue()) return true;
            }
        }
        for (; i < count; i++) {
            if ((m.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, 2 * i) & 0x7C00) == 0x7C00) return true;
        }
        return false;
    }

    /** bf16 → fp32 for L halves sign-extended into int lanes: the top 16 bits of the float. */
    static FloatVector bf16ToF32(IntVector h) {
        return h.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    /** dst[i] = fp16 value at short index first + i of m, for i < count (exact, vector body). */
    static void f16ToF32(java.lang.foreign.MemorySegment m, long first, int count, float[] dst) {
        int i = 0;
        if (ENABLED) {
            for (; i + L <= count; i += L) {
                IntVector h = (IntVector) ShortVector.fromMemorySegment(S, m, 2 * (first + i), LE).convertShape(VectorOperators.S2I, I, 0);
                f16ToF32(h).intoArray(dst, i);
            }
        }
        for (; i < count; i++) dst[i] = Float.float16ToFloat(m.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 2 * (first + i)));
    }

    private static final VectorShuffle<Float> ROT8 = VectorShuffle.fromOp(F, i -> (i + 8) & (L - 1));
    private static final VectorShuffle<Float> ROT4 = VectorShuffle.fromOp(F, i -> (i + 4) & (L - 1));
    private static final VectorShuffle<Float> ROT2 = VectorShuffle.fromOp(F, i -> (i + 2) & (L - 1));
    private static final VectorShuffle<Float> ROT1 = VectorShuffle.fromOp(F, i -> (i + 1) & (L - 1));

    /**
     * The sum of v's lanes in one fixed pairwise order. {@code reduceLanes(ADD)} leaves the order
     * unspecified, and it differs between the compiled intrinsic and the interpreter's fallback,
     * so results changed by ulps with the JIT's timing; lane-wise adds of rotated copies give the
     * same bits either way.
     */
    static float sum(FloatVector v) {
        if (L == 16) v = v.add(v.rearrange(ROT8));
        v = v.add(v.rearrange(ROT4));
        v = v.add(v.rearrange(ROT2));
        v = v.add(v.rearrange(ROT1));
        return v.lane(0);
    }

    /** Σ a[aOff + i] · b[bOff + i] for i < n. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int i = 0;
        float acc = 0f;
        if (ENABLED) {
            FloatVector v = FloatVector.zero(F);
            for (; i + L <= n; i += L) v = FloatVector.fromArray(F, a, aOff + i).fma(FloatVector.fromArray(F, b, bOff + i), v);
            acc = sum(v);
        }
        for (; i < n; i++) acc += a[aOff + i] * b[bOff + i];
        return acc;
    }

    /** {0..size) mapped by {@code index}: a kernel's column order within one step of its loop. */
    static int[] permutation(int size, java.util.function.IntUnaryOperator index) {
        int[] p = new int[size];
        for (int m = 0; m < size; m++) p[m] = index.applyAsInt(m);
        return p;
    }

    /**
     * x[xOff, xOff + len) reordered group by group (len a multiple of order.length) so that
     * xp[g + m] = x[xOff + g + order[m]], into a per-thread scratch: the lane order of kernels
     * that unpack several quants from each int lane.
     */
    static float[] reorder(ThreadLocal<float[]> holder, float[] x, int xOff, int len, int[] order) {
        float[] xp = scratch(holder, len);
        int g = order.length;
        for (int base = 0; base < len; base += g) {
            for (int m = 0; m < g; m++) xp[base + m] = x[xOff + base + order[m]];
        }
        return xp;
    }

    /** A per-thread float scratch of at least n elements (grown, never shrunk). */
    static float[] scratch(ThreadLocal<float[]> holder, int n) {
        float[] s = holder.get();
        if (s.length < n) {
            s = new float[n];
            holder.set(s);
        }
        return s;
    }
}
