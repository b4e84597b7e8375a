package io.ibllm.train.nn;

/**
 * Interleaved rotary embedding: pairs (2j, 2j+1) of each head are rotated by pos·θ^(-2j/d),
 * with the table computed in float32 as the reference (θ ** (arange(0, d, 2)/d), then 1/x).
 */
public final class Rope {
    private final int headDim;
    private final float[] cos;
    private final float[] sin;

    public Rope(int headDim, int maxPos, double theta) {
        this.headDim = headDim;
        int half = headDim / 2;
        cos = new float[maxPos * half];
        sin = new float[maxPos * half];
        for (int j = 0; j < half; j++) {
            float exponent = (float) (2 * j) / (float) headDim;
            float freq = 1f / (float) Math.pow(theta, exponent);
            for (int t = 0; t < maxPos; t++) {
                float angle = (float) t * freq;
                cos[t * half + j] = (float) Math.cos(angle);
                sin[t * half + j] = (float) Math.sin(angle);
            }
        }
    }

    /** Rotates x [B, T, H, headDim] in place; sign = -1 applies the inverse (for backward). */
    public void apply(float[] x, int batch, int seq, int heads, int sign) {
        int half = headDim / 2;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seq; t++) {
                for (int h = 0; h < heads; h++) {
                    int o = ((b * seq + t) * heads + h) * headDim;
                    for (int j = 0; j < half; j++) {
                        float c = cos[t * half + j], s = sign * sin[t * half + j];
                        float re = x[o + 2 * j], im = x[o + 2 * j + 1];
                        x[o + 2 * j] = re * c - im * s;
                        x[o + 2 * j + 1] = re * s + im * c;
                    }
                }
            }
        }
    }
}
