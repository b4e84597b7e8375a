package io.ibllm.media.audio;

/** In-place iterative radix-2 complex FFT of a fixed power-of-two size, in double precision. */
final class Fft {
    private final int n;
    private final double[] cos, sin;
    private final int[] bitReverse;

    Fft(int n) {
        if (n < 2 || Integer.bitCount(n) != 1) throw new IllegalArgumentException("FFT size must be a power of two: " + n);
        this.n = n;
        cos = new double[n / 2];
        sin = new double[n / 2];
        for (int i = 0; i < n / 2; i++) {
            cos[i] = Math.cos(2 * Math.PI * i / n);
            sin[i] = -Math.sin(2 * Math.PI * i / n);
        }
        bitReverse = new int[n];
        int bits = Integer.numberOfTrailingZeros(n);
        for (int i = 0; i < n; i++) bitReverse[i] = Integer.reverse(i) >>> (32 - bits);
    }

    int size() { return n; }

    /** Forward transform X[k] = sum x[t] e^{-2 pi i k t / n} of (re, im), in place. */
    void transform(double[] re, double[] im) {
        for (int i = 0; i < n; i++) {
            int j = bitReverse[i];
            if (j > i) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            int half = len >> 1, stride = n / len;
            for (int s = 0; s < n; s += len) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * stride], wi = sin[k * stride];
                    int a = s + k, b = a + half;
                    double xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }
}
