package io.ibllm.tensor;

/**
 * Interleaved rotary position embedding as LLaMA's precompute_freqs_cis / apply_rotary_emb: the
 * pairs (x[2j], x[2j+1]) of each head are complex numbers multiplied by e^{i·pos·f_j},
 * f_j = 1 / θ^(2j/headDim). Frequencies and angles are rounded to fp32 at the same steps as
 * torch (θ ** (arange(0, d, 2) / d) in fp32, then 1/x, then t·f in fp32), so the table matches
 * the reference's complex64 freqs_cis.
 */
final class Rope {
    private Rope() {}

    /** [end, headDim/2, 2] = (cos, sin) of the angle pos·f_j. */
    static float[] freqsCis(int headDim, int end, float theta) {
        if (headDim <= 0 || headDim % 2 != 0) throw new IllegalArgumentException("RoPE head dim must be even, got " + headDim);
        int half = headDim / 2;
        float[] freqs = new float[half];
        for (int j = 0; j < half; j++) {
            float exponent = (float) (2 * j) / (float) headDim;
            freqs[j] = 1f / (float) Math.pow(theta, exponent);
        }
        float[] table = new float[end * half * 2];
        for (int pos = 0; pos < end; pos++) {
            for (int j = 0; j < half; j++) {
                float angle = (float) pos * freqs[j];
                table[(pos * half + j) * 2] = (float) Math.cos(angle);
                table[(pos * half + j) * 2 + 1] = (float) Math.sin(angle);
            }
        }
        return table;
    }

    static void apply(float[] x, int off, int nHeads, int headDim, float[] freqsCis, int pos) {
        int half = headDim / 2;
        if ((long) (pos + 1) * half * 2 > freqsCis.length) {
            throw new IllegalArgumentException("position " + pos + " beyond the RoPE table (" + freqsCis.length / headDim + " positions)");
        }
        int f = pos * half * 2;
        for (int h = 0; h < nHeads; h++) {
            int base = off + h * headDim;
            for (int j = 0; j < half; j++) {
                float a = x[base + 2 * j], b = x[base + 2 * j + 1];
                float c = freqsCis[f + 2 * j], s = freqsCis[f + 2 * j + 1];
                x[base + 2 * j] = a * c - b * s;
                x[base + 2 * j + 1] = a * s + b * c;
            }
        }
    }
}
