package io.ibllm.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Our fp32 e^y: lanes equal the scalar twin bit for bit, both within 2 ulp of Math.exp. */
class ExpTest {
    @Test
    void lanesEqualTheScalarTwinAndStayWithinTwoUlp() {
        float[] y = new float[20_001];
        for (int i = 0; i < y.length; i++) y[i] = -86.5f + i * (88.7f + 86.5f) / (y.length - 1);
        float[] out = new float[y.length];
        int i = 0;
        for (; i + Simd.L <= y.length; i += Simd.L) {
            Exp.exp(jdk.incubator.vector.FloatVector.fromArray(Simd.F, y, i)).intoArray(out, i);
        }
        for (; i < y.length; i++) out[i] = Exp.exp(y[i]);
        for (int j = 0; j < y.length; j++) {
            assertEquals(Float.floatToRawIntBits(Exp.exp(y[j])), Float.floatToRawIntBits(out[j]), "exp(" + y[j] + ")");
            float exact = (float) Math.exp(y[j]);
            assertTrue(Math.abs(out[j] - exact) <= 2 * Math.ulp(exact), "exp(" + y[j] + ") = " + out[j] + ", Math.exp " + exact);
        }
    }

    @Test
    void edgesUnderflowOverflowAndNaN() {
        assertEquals(1f, Exp.exp(0f));
        assertEquals(0f, Exp.exp(-100f));
        assertEquals(0f, Exp.exp(Float.NEGATIVE_INFINITY));
        assertEquals(Float.POSITIVE_INFINITY, Exp.exp(100f));
        assertEquals(Float.POSITIVE_INFINITY, Exp.exp(Float.POSITIVE_INFINITY));
        assertTrue(Float.isNaN(Exp.exp(Float.NaN)));
        float[] edge = {0f, -100f, Float.NEGATIVE_INFINITY, 100f, Float.POSITIVE_INFINITY, Float.NaN, -86.5f, 88.7f,
                        1f, -1f, 2f, -2f, 3f, -3f, 4f, -4f};
        float[] out = new float[edge.length];
        for (int i = 0; i + Simd.L <= edge.length; i += Simd.L) {
            Exp.exp(jdk.incubator.vector.FloatVector.fromArray(Simd.F, edge, i)).intoArray(out, i);
        }
        for (int i = 0; i < edge.length / Simd.L * Simd.L; i++) {
            assertEquals(Float.floatToRawIntBits(Exp.exp(edge[i])), Float.floatToRawIntBits(out[i]), "exp(" + edge[i] + ")");
        }
    }
}
