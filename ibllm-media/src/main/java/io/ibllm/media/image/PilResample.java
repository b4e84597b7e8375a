package io.ibllm.media.image;

/**
 * PIL's {@code Image.resize(size, BICUBIC)} (Resample.c, reducing_gap None), re-derived from its
 * description: separable passes (horizontal first, over only the rows the vertical pass needs,
 * then vertical), a bicubic kernel with a = -0.5 whose support grows with the downscale factor
 * (antialiasing), weights normalised per output pixel, then quantised to 8-bit fixed point with
 * 22 fraction bits; each pass accumulates in int with a rounding half, shifts and clamps to
 * 0..255, so the intermediate image is 8-bit as in PIL.
 */
public final class PilResample {
    static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;

    private PilResample() {}

    /** Per output pixel: first input index, tap count and normalised weights (stride ksize). */
    record Coefficients(int ksize, int[] first, int[] count, double[] weights) {
        int[] fixedPoint() {
            int[] k = new int[weights.length];
            for (int i = 0; i < k.length; i++) {
                double v = weights[i] * (1 << PRECISION_BITS);
                k[i] = (int) (v < 0 ? v - 0.5 : v + 0.5);
            }
            return k;
        }
    }

    static double bicubic(double x) {
        final double a = -0.5;
        if (x < 0.0) x = -x;
        if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
        return 0.0;
    }

    /** Coefficients mapping {@code inSize} samples onto {@code outSize} (box 0..inSize). */
    static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outSize], count = new int[outSize];
        double[] k = new double[Math.multiplyExact(outSize, ksize)];
        double ss = 1.0 / filterScale;
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            int xmin = Math.max(0, (int) (center - support + 0.5));
            int xmax = Math.min(inSize, (int) (center + support + 0.5)) - xmin;
            double ww = 0.0;
            int base = xx * ksize;
            for (int x = 0; x < xmax; x++) {
                double w = bicubic((x + xmin - center + 0.5) * ss);
                k[base + x] = w;
                ww += w;
            }
            if (ww != 0.0) for (int x = 0; x < xmax; x++) k[base + x] /= ww;
            first[xx] = xmin;
            count[xx] = Math.max(xmax, 0);
        }
        return new Coefficients(ksize, first, count, k);
    }

    /** Resizes an 8-bit image exactly as PIL does (any channel count). */
    public static Image8 resize(Image8 in, int outW, int outH) {
        if (outW == in.width() && outH == in.height()) return in;
        Coefficients horiz = coefficients(in.width(), outW), vert = coefficients(in.height(), outH);
        boolean needH = outW != in.width(), needV = outH != in.height();
        Image8 src = in;
        int[] vFirst = vert.first().clone();
        if (needH) {
            int yFirst = vFirst[0];
            int yLast = vFirst[outH - 1] + vert.count()[outH - 1];
            for (int i = 0; i < outH; i++) vFirst[i] -= yFirst; // the temporary holds only used rows
            src = horizontal(in, yFirst, yLast - yFirst, outW, horiz);
        }
        if (!needV) return src;
        return vertical(src, outH, vFirst, vert);
    }

    private static Image8 horizontal(Image8 in, int yOffset, int rows, int outW, Coefficients co) {
        int ch = in.channels(), ks = co.ksize(), inW = in.width();
        int[] k = co.fixedPoint();
        byte[] src = in.data(), dst = new byte[Math.multiplyExact(Math.multiplyExact(rows, outW), ch)];
        int[] acc = new int[ch];
        for (int y = 0; y < rows; y++) {
            int rowBase = (y + yOffset) * inW * ch;
            for (int xx = 0; xx < outW; xx++) {
                java.util.Arrays.fill(acc, 1 << (PRECISION_BITS - 1));
                int xmin = co.first()[xx], n = co.count()[xx], kb = xx * ks;
                for (int x = 0; x < n; x++) {
                    int p = rowBase + (x + xmin) * ch, w = k[kb + x];
                    for (int c = 0; c < ch; c++) acc[c] += (src[p + c] & 0xFF) * w;
                }
                int o = (y * outW + xx) * ch;
                for (int c = 0; c < ch; c++) dst[o + c] = clip8(acc[c]);
            }
        }
        return new Image8(outW, rows, ch, dst);
    }

    private static Image8 vertical(Image8 in, int outH, int[] first, Coefficients co) {
        int ch = in.channels(), ks = co.ksize(), w = in.width(), rowLen = w * ch;
        int[] k = co.fixedPoint();
        byte[] src = in.data(), dst = new byte[Math.multiplyExact(Math.multiplyExact(outH, w), ch)];
        for (int yy = 0; yy < outH; yy++) {
            int ymin = first[yy], n = co.count()[yy], kb = yy * ks;
            for (int i = 0; i < rowLen; i++) {
                int acc = 1 << (PRECISION_BITS - 1);
                for (int y = 0; y < n; y++) acc += (src[(y + ymin) * rowLen + i] & 0xFF) * k[kb + y];
                dst[yy * rowLen + i] = clip8(acc);
            }
        }
        return new Image8(w, outH, ch, dst);
    }

    private static byte clip8(int v) {
        if (v >= (1 << PRECISION_BITS << 8)) return (byte) 255;
        if (v <= 0) return 0;
        return (byte) (v >> PRECISION_BITS);
    }

    /**
     * The same filter on one float channel without 8-bit quantisation (for 16-bit depth and
     * thermal maps): double accumulation, no clamping; {@code in} is row-major h x w.
     */
    public static float[] resizeFloat(float[] in, int w, int h, int outW, int outH) {
        float[] tmp = outW == w ? in : pass(in, h, w, outW, coefficients(w, outW), true);
        return outH == h ? tmp : pass(tmp, h, outW, outH, coefficients(h, outH), false);
    }

    private static float[] pass(float[] in, int h, int w, int outSize, Coefficients co, boolean horizontal) {
        int outW = horizontal ? outSize : w, outH = horizontal ? h : outSize;
        float[] out = new float[Math.multiplyExact(outW, outH)];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int o = horizontal ? x : y, kb = o * co.ksize(), f = co.first()[o];
                double acc = 0;
                for (int t = 0; t < co.count()[o]; t++) {
                    float v = horizontal ? in[y * w + f + t] : in[(f + t) * w + x];
                    acc += v * co.weights()[kb + t];
                }
                out[y * outW + x] = (float) acc;
            }
        }
        return out;
    }
}
