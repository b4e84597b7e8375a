package io.ibllm.train.nn;

import io.ibllm.train.Param;

/** y = x · rsqrt(mean(x²) + eps) · w over the last dimension; saves x and the inverse rms. */
public final class RmsNorm {
    private final Param weight;
    private final int dim;
    private final float eps;
    private float[] x;
    private float[] rstd;
    private int rows;

    public RmsNorm(Param weight, float eps) {
        this.weight = weight;
        this.dim = weight.size();
        this.eps = eps;
    }

    public float[] forward(float[] input, int rows) {
        this.x = input;
        this.rows = rows;
        this.rstd = new float[rows];
        float[] y = new float[rows * dim];
        float[] w = weight.data;
        for (int n = 0; n < rows; n++) {
            int o = n * dim;
            float ss = 0f;
            for (int i = 0; i < dim; i++) ss += input[o + i] * input[o + i];
            float r = (float) (1.0 / Math.sqrt(ss / dim + eps));
            rstd[n] = r;
            for (int i = 0; i < dim; i++) y[o + i] = (input[o + i] * r) * w[i];
        }
        return y;
    }

    public float[] backward(float[] dy) {
        float[] dx = new float[rows * dim];
        float[] w = weight.data;
        for (int n = 0; n < rows; n++) {
            int o = n * dim;
            float r = rstd[n];
            float dot = 0f;
            for (int i = 0; i < dim; i++) {
                float g = dy[o + i] * w[i];
                dot += g * x[o + i];
                if (weight.trainable()) weight.grad[i] += dy[o + i] * x[o + i] * r;
            }
            float c = dot * r * r * r / dim;
            for (int i = 0; i < dim; i++) dx[o + i] = dy[o + i] * w[i] * r - x[o + i] * c;
        }
        return dx;
    }
}
