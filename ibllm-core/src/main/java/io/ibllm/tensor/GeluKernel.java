package io.ibllm.tensor;

import static io.ibllm.tensor.Simd.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Erf GELU over arrays in fp32 vectors: 0.5·x·(1 + erf(x/√2)) with 1 + erf = 2 − erfc(|z|) above
 * zero and erfc(|z|) below (no cancellation in the negative tail), and
 * erfc(a) = e^(−a²)·P(t), t = 1/(1 + p·a), P a degree-9 polynomial fitted for relative error
 * (5.5e-8 on [0, 9.3], where e^(−a²) leaves the float range), e^y from {@link Exp}, so
 * {@link #gelu(float)} (the tails, and the scalar twin) gives the same bits as every vector lane,
 * whatever the JIT compiled. Against the exact (double, Cody) {@link Ops#gelu(float)}
 * the result is within a few ulp; PyTorch's own fp32 GELU (Abramowitz-Stegun erf) is 1.5e-7 off.
 */
final class GeluKernel {
    private static final float INV_SQRT2 = 0.70710678118654752f;
    private static final float P = 0.47047f;
    private static final float C0 = 1.348650584986899e-05f, C1 = 0.26507848501205444f, C2 = 0.2695317268371582f;
    private static final float C3 = 0.2089882493019104f, C4 = 0.29050496220588684f, C5 = -0.2118232250213623f;
    private static final float C6 = 0.5783511400222778f, C7 = -0.6546614170074463f, C8 = 0.30923008918762207f;
    private static final float C9 = -0.055213551968336105f;
    /** Horner's coefficients after the first step, highest power first. */
    private static final float[] TAIL = {C7, C6, C5, C4, C3, C2, C1, C0};
    /** |x| beyond which erfc(|x|/√2) is below every float: keeps x² (and ±inf) finite. */
    private static final float CLAMP = 14f;

    private GeluKernel() {}

    static void gelu(float[] x, int off, int n) {
        int i = 0;
        if (Simd.ENABLED) {
            for (int l = Simd.L; i + l <= n; i += l) gelu(FloatVector.fromArray(F, x, off + i)).intoArray(x, off + i);
        }
        for (; i < n; i++) x[off + i] = gelu(x[off + i]);
    }

    static FloatVector gelu(FloatVector x) {
        FloatVector xc = x.max(-CLAMP).min(CLAMP);
        FloatVector a = xc.abs().mul(INV_SQRT2);
        FloatVector t = FloatVector.broadcast(F, 1f).div(a.fma(P, 1f));
        FloatVector p = t.fma(C9, C8);
        for (float c : TAIL) p = p.fma(t, FloatVector.broadcast(F, c));
        // e^(−x²/2) with x² split exactly into hi + lo: rounding a² instead would cost up to 17 ulp.
        FloatVector hi = xc.mul(xc), lo = xc.fma(xc, hi.neg());
        FloatVector e = Exp.exp(hi.mul(-0.5f));
        FloatVector erfc = e.fma(lo.mul(-0.5f), e).mul(p);
        FloatVector onePlusErf = erfc.neg().add(2f).blend(erfc, x.compare(VectorOperators.LT, 0f));
        return x.mul(0.5f).mul(onePlusErf);
    }

    /** The scalar twin: the same operations in the same order as one vector lane. */
    static float gelu(float x) {
        float xc = Math.min(Math.max(x, -CLAMP), CLAMP);
        float a = Math.abs(xc) * INV_SQRT2;
        float t = 1f / Math.fma(a, P, 1f);
        float p = Math.fma(t, C9, C8);
        for (float c : TAIL) p = Math.fma(p, t, c);
        float hi = xc * xc, lo = Math.fma(xc, xc, -hi);
        float e = Exp.exp(hi * -0.5f);
        float erfc = Math.fma(e, lo * -0.5f, e) * p;
        float onePlusErf = x < 0f ? erfc : 2f - erfc;
        return x * 0.5f * onePlusErf;
    }
}
