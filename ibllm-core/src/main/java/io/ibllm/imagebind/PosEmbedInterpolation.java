package io.ibllm.imagebind;

/**
 * The reference's {@code interpolate_pos_encoding} for the vision tower: when an input gives
 * a different number of patches than the learned table, the patch part of the table (a
 * square grid) is resized with torch's bicubic {@code interpolate(scale_factor=√(P/N))}
 * (align_corners=False, A = -0.75, clamped borders); the class embedding is kept.
 */
final class PosEmbedInterpolation {
    private static final float A = -0.75f;

    private PosEmbedInterpolation() {}

    /**
     * Bicubic resize of a side x side grid of dim-vectors src [side*side, dim] by
     * {@code scaleFactor}; the output side is floor(side * scaleFactor) as in torch.
     */
    static float[] resize(float[] src, int side, int dim, double scaleFactor) {
        int outSide = (int) Math.floor(side * scaleFactor);
        float scale = (float) (1.0 / scaleFactor);
        float[] out = new float[outSide * outSide * dim];
        int[] ix = new int[4];
        int[] iy = new int[4];
        float[] wx = new float[4];
        float[] wy = new float[4];
        for (int oy = 0; oy < outSide; oy++) {
            taps(scale, oy, side, iy, wy);
            for (int ox = 0; ox < outSide; ox++) {
                taps(scale, ox, side, ix, wx);
                int o = (oy * outSide + ox) * dim;
                for (int d = 0; d < dim; d++) {
                    float acc = 0f;
                    for (int a = 0; a < 4; a++) {
                        int row = iy[a] * side;
                        float line = 0f;
                        for (int b = 0; b < 4; b++) line += wx[b] * src[(row + ix[b]) * dim + d];
                        acc += wy[a] * line;
                    }
                    out[o + d] = acc;
                }
            }
        }
        return out;
    }

    /** The 4 clamped source indices and cubic weights of output index {@code dst}. */
    private static void taps(float scale, int dst, int size, int[] idx, float[] w) {
        float real = scale * (dst + 0.5f) - 0.5f;
        int i0 = (int) Math.floor(real);
        float t = real - i0;
        w[0] = cubic2(t + 1f);
        w[1] = cubic1(t);
        w[2] = cubic1(1f - t);
        w[3] = cubic2(2f - t);
        for (int k = 0; k < 4; k++) idx[k] = Math.min(Math.max(i0 - 1 + k, 0), size - 1);
    }

    private static float cubic1(float x) { return ((A + 2) * x - (A + 3)) * x * x + 1; }

    private static float cubic2(float x) { return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A; }
}
