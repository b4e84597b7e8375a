package io.ibllm.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The input gradient of a linear layer through a frozen weight: dx[n, :] += Σ_o dy[n, o]·W[o, :]
 * (dx += dy·W for W [out, in]). Work is split over column blocks, so every weight element is
 * widened exactly once and no two threads write the same dx element.
 */
public final class MatmulBackward {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int BLOCK = 256;

    private MatmulBackward() {}

    public static void accumulate(Tensor w, float[] dy, int rows, float[] dx) {
        accumulate(WeightCache.packed(w), dy, rows, dx);
    }

    public static void accumulate(PackedWeight w, float[] dy, int rows, float[] dx) {
        int out = w.rows(), in = w.cols();
        if (dy.length < (long) rows * out || dx.length < (long) rows * in) {
            throw new IllegalArgumentException("backward buffers too small for " + rows + "x" + w);
        }
        int block = BLOCK; // a multiple of the 32-value quantisation block
        int blocks = (in + block - 1) / block;
        Parallel.forRange(blocks, (b0, b1) -> {
            float[] row = new float[block];
            for (int b = b0; b < b1; b++) {
                int k0 = b * block, len = Math.min(block, in - k0);
                for (int o = 0; o < out; o++) {
                    w.kernels.dequantRow(w, o, k0, len, row, 0);
                    for (int n = 0; n < rows; n++) {
                        float g = dy[n * out + o];
                        if (g != 0f) axpy(g, row, dx, n * in + k0, len);
                    }
                }
            }
        });
    }

    private static void axpy(float a, float[] x, float[] y, int yOff, int len) {
        FloatVector va = FloatVector.broadcast(S, a);
        int i = 0;
        for (int up = S.loopBound(len); i < up; i += S.length()) {
            FloatVector.fromArray(S, x, i).fma(va, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < len; i++) y[yOff + i] += a * x[i];
    }

    /** Plain twin for tests. */
    public static void accumulateScalar(Tensor w, float[] dy, int rows, float[] dx) {
        int out = (int) w.dim(0), in = (int) w.dim(1);
        for (int n = 0; n < rows; n++) {
            for (int o = 0; o < out; o++) {
                float g = dy[n * out + o];
                for (int i = 0; i < in; i++) dx[n * in + i] += g * w.getFloat((long) o * in + i);
            }
        }
    }
}
