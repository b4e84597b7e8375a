package io.ibllm.imagebind;

/**
 * A preprocessor's output, the trunk's input: x [batch, len, dim] row-major, the token the
 * head reads per sequence ({@code select}, null = token 0, the CLS) and the additive attention
 * mask [len, len] (null = none; text uses the causal one).
 */
public record Tokens(float[] x, int batch, int len, int dim, int[] select, float[] mask) {

    /** Token {@code i} of sequence {@code b} as a copy, e.g. to compare one row with a reference. */
    public float[] sequence(int b) {
        float[] out = new float[len * dim];
        System.arraycopy(x, b * len * dim, out, 0, len * dim);
        return out;
    }

    /**
     * [cls ; patches] + pos for each of {@code batch} sequences of {@code patches} patch tokens
     * (the RGBDT/audio/IMU preprocessors: cls prepended, then the position table added to all).
     */
    static Tokens withClassToken(float[] patchTokens, int batch, int patches, int dim, float[] cls, float[] pos) {
        int len = patches + 1;
        float[] x = new float[batch * len * dim];
        for (int b = 0; b < batch; b++) {
            int base = b * len * dim;
            System.arraycopy(cls, 0, x, base, dim);
            System.arraycopy(patchTokens, b * patches * dim, x, base + dim, patches * dim);
            for (int i = 0; i < len * dim; i++) x[base + i] += pos[i];
        }
        return new Tokens(x, batch, len, dim, null, null);
    }
}
