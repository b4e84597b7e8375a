package io.ibllm.tensor;

import static io.ibllm.tensor.Simd.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * e^y in fp32 from IEEE basic operations and fused multiply-adds only: y = k·ln2 + r with
 * |r| ≤ ln2/2 (Cody-Waite, two-part ln2), e^r by Cephes' expf polynomial (~1 ulp), times
 * 2^(k−1) built in the exponent bits, times 2 (so k = 128 near the overflow still fits). The
 * Vector API's EXP is an SVML call once C2 has compiled the loop and a per-lane StrictMath call
 * before, which made softmax, SiLU and GELU (and so every embedding and
 * logit) differ by ulps between runs; this gives the same bits compiled or not, and
 * {@link #exp(float)} gives the same bits as every lane.
 */
final class Exp {
    /** Below this (e^y < 2.4e-38, next to the smallest normal float) the result is 0. */
    static final float MIN = -86.6f;
    /** Above this e^y overflows: the result is +inf. */
    private static final float MAX = 88.7228f;
    private static final float LOG2E = 1.44269504088896341f;
    /** 1.5·2^23: adding it rounds to an integer k held in the low mantissa bits. */
    private static final float ROUND = 12582912f;
    private static final int ROUND_BITS = 0x4B400000;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float E5 = 1.9875691500e-4f, E4 = 1.3981999507e-3f;
    /** Horner's coefficients after the first step, highest power first. */
    private static final float[] TAIL = {8.3334519073e-3f, 4.1665795894e-2f, 1.6666665459e-1f, 5.0000001201e-1f};

    private Exp() {}

    static FloatVector exp(FloatVector y0) {
        FloatVector y = y0.max(MIN).min(MAX);
        FloatVector shifted = y.fma(LOG2E, ROUND);
        FloatVector k = shifted.sub(ROUND);
        FloatVector r = k.fma(FloatVector.broadcast(F, -LN2_HI), y).add(k.mul(-LN2_LO));
        FloatVector p = r.fma(E5, E4);
        for (float c : TAIL) p = p.fma(r, FloatVector.broadcast(F, c));
        FloatVector er = p.mul(r).fma(r, r).add(1f);
        IntVector bits = ((IntVector) shifted.reinterpretAsInts()).sub(ROUND_BITS - 126).lanewise(VectorOperators.LSHL, 23);
        return er.mul(bits.reinterpretAsFloats()).mul(2f)
                .blend(0f, y0.compare(VectorOperators.LT, MIN))
                .blend(Float.POSITIVE_INFINITY, y0.compare(VectorOperators.GT, MAX));
    }

    /** The scalar twin: the same operations in the same order as one lane. */
    static float exp(float y0) {
        if (y0 < MIN) return 0f;
        if (y0 > MAX) return Float.POSITIVE_INFINITY;
        float shifted = Math.fma(y0, LOG2E, ROUND);
        float k = shifted - ROUND;
        float r = Math.fma(k, -LN2_HI, y0) + k * -LN2_LO;
        float p = Math.fma(r, E5, E4);
        for (float c : TAIL) p = Math.fma(p, r, c);
        float er = Math.fma(p * r, r, r) + 1f;
        return er * Float.intBitsToFloat((Float.floatToRawIntBits(shifted) - (ROUND_BITS - 126)) << 23) * 2f;
    }
}
