package io.ibllm.train.nn;

import io.ibllm.tensor.Ops;
import io.ibllm.tensor.Parallel;

/**
 * The matrix products of training, on heap fp32 arrays, row-major.
 */
public final class Mat {
    private Mat() {}

    /** y[n, o] = sum_i x[n, i] * w[o, i]  (y = x·wᵀ), overwriting y: the engine's tiled GEMM. */
    public static void mulTransB(float[] x, int rows, int in, float[] w, int out, float[] y) {
        Ops.matmulTransB(x, 0, w, 0, y, 0, rows, out, in);
    }

    /** dx[n, i] += sum_o dy[n, o] * w[o, i]  (dx += dy·w). */
    public static void mulAcc(float[] dy, int rows, int out, float[] w, int in, float[] dx) {
        Parallel.forRange(rows, (s, e) -> {
            for (int n = s; n < e; n++) {
                for (int o = 0; o < out; o++) {
                    float g = dy[n * out + o];
                    if (g == 0f) continue;
                    int wo = o * in, xo = n * in;
                    for (int i = 0; i < in; i++) dx[xo + i] += g * w[wo + i];
                }
            }
        });
    }

    /** dw[o, i] += sum_n dy[n, o] * x[n, i]  (dw += dyᵀ·x). */
    public static void accTransA(float[] dy, float[] x, int rows, int out, int in, float[] dw) {
        Parallel.forRange(out, (s, e) -> {
            for (int o = s; o < e; o++) {
                int wo = o * in;
                for (int n = 0; n < rows; n++) {
                    float g = dy[n * out + o];
                    if (g == 0f) continue;
                    int xo = n * in;
                    for (int i = 0; i < in; i++) dw[wo + i] += g * x[xo + i];
                }
            }
        });
    }
}
