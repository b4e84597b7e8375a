package io.ibllm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TopKTest {
    @Test
    void matchesSortOnRandomInputsWithTies() {
        SplittableRandom rnd = new SplittableRandom(4);
        for (int trial = 0; trial < 30; trial++) {
            int n = 1 + rnd.nextInt(700);
            float[] x = new float[n + 2];
            for (int i = 0; i < x.length; i++) x[i] = trial % 2 == 0 ? rnd.nextInt(9) - 4 : (float) rnd.nextGaussian();
            for (int k : new int[] {0, 1, Math.min(n, 10), n / 2, n}) {
                float[] v = new float[k], vt = new float[k];
                int[] idx = new int[k], it = new int[k];
                Ops.topK(x, 2, n, k, v, idx);
                TopK.topKScalar(x, 2, n, k, vt, it);
                assertArrayEquals(it, idx, "n=" + n + " k=" + k);
                assertArrayEquals(vt, v);
            }
        }
    }

    @Test
    void handComputedTiesAndNaN() {
        float[] x = {3f, 5f, Float.NaN, 5f, -1f, 3f};
        float[] v = new float[4];
        int[] idx = new int[4];
        Ops.topK(x, 0, x.length, 4, v, idx);
        assertArrayEquals(new int[] {2, 1, 3, 0}, idx);
        assertArrayEquals(new float[] {Float.NaN, 5f, 5f, 3f}, v);
    }

    @Test
    void rejectsKBeyondN() {
        assertThrows(IllegalArgumentException.class, () -> Ops.topK(new float[3], 0, 3, 4, new float[4], new int[4]));
    }
}
