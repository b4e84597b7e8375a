package io.ibllm.media.image;

/** libjpeg's YCbCr to RGB conversion (jdcolor.c: 16-bit fixed point, tables, range limit). */
final class YccToRgb {
    private static final int SCALEBITS = 16;
    private static final int ONE_HALF = 1 << (SCALEBITS - 1);

    private YccToRgb() {}

    private static int fix(double x) {
        return (int) (x * (1L << SCALEBITS) + 0.5);
    }

    static int[] convert(int y, int cb, int cr) {
        int xcb = cb - 128, xcr = cr - 128;
        int r = y + ((fix(1.40200) * xcr + ONE_HALF) >> SCALEBITS);
        int g = y + ((-fix(0.34414) * xcb + ONE_HALF + -fix(0.71414) * xcr) >> SCALEBITS);
        int b = y + ((fix(1.77200) * xcb + ONE_HALF) >> SCALEBITS);
        return new int[] {limit(r), limit(g), limit(b)};
    }

    private static int limit(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
