package io.ibllm.imagebind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.tensor.Tensor;

/** Comparison against golden arrays: max|a-b| <= tol * max|ref| (the golden README's rule). */
final class Close {
    /** ImageBind embeddings and intermediates: 1e-4 relative to the reference's largest magnitude. */
    static final double TOL = 1e-4;

    private Close() {}

    static double relErr(float[] ref, float[] got) {
        double maxRef = 0, maxDiff = 0;
        for (int i = 0; i < ref.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
            maxDiff = Math.max(maxDiff, Math.abs((double) ref[i] - got[i]));
        }
        return maxDiff / maxRef;
    }

    static void check(String what, Tensor ref, float[] got) {
        float[] r = ref.toFloatArray();
        assertTrue(r.length == got.length, what + ": " + got.length + " values, golden " + ref.shapeString());
        double e = relErr(r, got);
        System.out.printf("%-28s max|a-b|/max|ref| = %.2e%n", what, e);
        assertTrue(e <= TOL, what + ": relative error " + e + " > " + TOL);
    }

    static void check(String what, Tensor ref, float[] got, long... shape) {
        assertArrayEquals(ref.shape(), shape, what + " shape");
        check(what, ref, got);
    }
}
