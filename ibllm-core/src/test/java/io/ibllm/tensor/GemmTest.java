package io.ibllm.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The tiled GEMM (matmulTransB) against one dot product per element, on edge-heavy shapes. */
class GemmTest {
    private static void check(int m, int n, int k, long seed) {
        float[] a = SyntheticWeights.vector(3 + m * k, 1f, seed);
        float[] b = SyntheticWeights.vector(5 + n * k, 1f, seed + 1);
        float[] c = new float[7 + m * n];
        c[0] = 42f;
        Ops.matmulTransB(a, 3, b, 5, c, 7, m, n, k);
        assertEquals(42f, c[0], "nothing written before cOff");
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float expected = 0f, mag = 0f;
                for (int p = 0; p < k; p++) {
                    expected += a[3 + i * k + p] * b[5 + j * k + p];
                    mag += Math.abs(a[3 + i * k + p] * b[5 + j * k + p]);
                }
                assertEquals(expected, c[7 + i * n + j], 1e-5f * mag + 1e-30f, m + "x" + n + "x" + k + " at " + i + "," + j);
            }
        }
    }

    @Test
    void tailsInEveryDimension() {
        int nr = Gemm.NR, mr = Gemm.MR;
        int[][] shapes = {
            {1, 1, 1}, {1, 5, 3}, {mr, nr, 8}, {mr + 1, nr + 1, 9}, {2 * mr - 1, 3 * nr - 1, 31},
            {13, 2 * nr + 3, Gemm.KC + 17}, {40, 7, 64}, {5, 4 * nr, 2 * Gemm.KC + 1},
        };
        long seed = 1;
        for (int[] s : shapes) check(s[0], s[1], s[2], seed++);
    }

    @Test
    void splitsOverRowsWhenColumnsAreFew() {
        check(50, 3, 40, 9);   // too few column panels: threads split the rows
    }

    @Test
    void kernelAgreesWithScalarTwin() {
        int kc = 37;
        float[] ap = SyntheticWeights.vector(kc * Gemm.MR, 1f, 1), bp = SyntheticWeights.vector(kc * Gemm.NR, 1f, 2);
        for (boolean first : new boolean[] {true, false}) {
            int ldc = Gemm.NR + 3;
            float[] fast = SyntheticWeights.vector(Gemm.MR * ldc, 1f, 3), twin = fast.clone();
            Gemm.kernel(ap, 0, bp, kc, fast, 0, ldc, first);
            Gemm.kernelScalar(ap, 0, bp, kc, twin, 0, ldc, Gemm.MR, Gemm.NR, first);
            for (int i = 0; i < fast.length; i++) assertEquals(twin[i], fast[i], 1e-4f, "first=" + first + " at " + i);
        }
    }

    @Test
    void kernelRefusesATileOutsideItsArrays() {
        int kc = 8, ldc = Gemm.NR;
        float[] ap = new float[kc * Gemm.MR], bp = new float[kc * Gemm.NR], c = new float[Gemm.MR * ldc - 1];
        assertThrows(IndexOutOfBoundsException.class, () -> Gemm.kernel(ap, 0, bp, kc, c, 0, ldc, true));
    }
}
