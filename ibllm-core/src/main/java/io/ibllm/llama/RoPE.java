package io.ibllm.llama;

/**
 * Rotary position embedding, interleaved pairs (x[2j], x[2j+1]) as in Meta's checkpoints.
 * The table is built exactly like the reference's precompute_freqs_cis, in float32:
 * freq_j = 1 / θ^(2j/headDim), angle = float(t · freq_j), then cos/sin of that angle.
 */
public final class RoPE {
    static final double THETA = 10000.0;
    private final int half;
    private final float[] cos;
    private final float[] sin;

    public RoPE(int headDim, int positions) {
        this.half = headDim / 2;
        this.cos = new float[positions * half];
        this.sin = new float[positions * half];
        float[] freqs = freqs(headDim);
        for (int t = 0; t < positions; t++) {
            for (int j = 0; j < half; j++) {
                float angle = (float) t * freqs[j];
                cos[t * half + j] = (float) Math.cos(angle);
                sin[t * half + j] = (float) Math.sin(angle);
            }
        }
    }

    /** 1 / θ^(2j/headDim) with each step rounded to float32 as torch does. */
    static float[] freqs(int headDim) {
        float[] f = new float[headDim / 2];
        for (int j = 0; j < f.length; j++) {
            float exponent = (float) (2 * j) / (float) headDim;
            float power = (float) Math.pow(THETA, exponent);
            f[j] = 1.0f / power;
        }
        return f;
    }

    public int positions() { return cos.length / half; }

    public float cos(int pos, int j) { return cos[pos * half + j]; }

    public float sin(int pos, int j) { return sin[pos * half + j]; }

    /** Rotates every head of the row x[off, off + heads·headDim) to position {@code pos}. */
    public void rotate(float[] x, int off, int heads, int pos) {
        int base = pos * half;
        for (int h = 0; h < heads; h++) {
            int o = off + h * 2 * half;
            for (int j = 0; j < half; j++) {
                float c = cos[base + j], s = sin[base + j];
                float re = x[o + 2 * j], im = x[o + 2 * j + 1];
                x[o + 2 * j] = re * c - im * s;
                x[o + 2 * j + 1] = re * s + im * c;
            }
        }
    }
}
