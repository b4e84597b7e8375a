package io.ibllm.tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * dx += dy·W agrees with its scalar twin for every weight dtype, with sizes past one k-block and one
 * widened strip of columns and a dx that already holds values (the product is added to them).
 */
class MatmulBackwardTest {
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void agreesWithScalarTwin(DType dtype) {
        Random r = new Random(5);
        int out = 300, in = dtype.isQuantized() ? 608 : 601, rows = 7;
        Tensor w = SyntheticWeights.tensor(dtype, out, in, 1f, 11);
        float[] dy = new float[rows * out];
        for (int i = 0; i < dy.length; i++) dy[i] = (float) r.nextGaussian();
        float[] a = new float[rows * in];
        for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
        float[] b = a.clone();
        MatmulBackward.accumulate(w, dy, rows, a);
        MatmulBackward.accumulateScalar(w, dy, rows, b);
        double max = 0, ref = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
            ref = Math.max(ref, Math.abs(b[i]));
        }
        assertTrue(max <= 1e-5 * ref, dtype + ": max diff " + max + " of " + ref);
    }
}
