package io.ibllm.train.nn;

import io.ibllm.tensor.Ops;

/**
 * Interleaved rotary embedding on [B, T, H, d] activations with the engine's freqs_cis table
 * (fp32 as the reference); the backward is the rotation by the opposite angle.
 */
public final class Rope {
    private final int headDim;
    private final float[] freqsCis; // [pos, d/2, (cos, sin)]

    public Rope(int headDim, int maxPos, double theta) {
        this.headDim = headDim;
        this.freqsCis = Ops.freqsCis(headDim, maxPos, (float) theta);
    }

    /** Rotates x [B, T, H, headDim] in place; sign = -1 applies the inverse (for backward). */
    public void apply(float[] x, int batch, int seq, int heads, int sign) {
        int half = headDim / 2;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seq; t++) {
                for (int h = 0; h < heads; h++) {
                    int o = ((b * seq + t) * heads + h) * headDim;
                    for (int j = 0; j < half; j++) {
                        float c = freqsCis[(t * half + j) * 2], s = sign * freqsCis[(t * half + j) * 2 + 1];
                        float re = x[o + 2 * j], im = x[o + 2 * j + 1];
                        x[o + 2 * j] = re * c - im * s;
                        x[o + 2 * j + 1] = re * s + im * c;
                    }
                }
            }
        }
    }
}
