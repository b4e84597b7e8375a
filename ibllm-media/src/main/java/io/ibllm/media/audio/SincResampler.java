package io.ibllm.media.audio;

import io.ibllm.tensor.Parallel;

/**
 * torchaudio 0.13 {@code functional.resample} with its defaults (sinc_interpolation,
 * lowpass_filter_width 6, rolloff 0.99). The rates are reduced by their gcd to o -> n; output
 * phase j of every block of n outputs is a dot product of a (2*width + o)-tap windowed-sinc
 * kernel with the input starting at o*block - width (zero outside the signal). Kernel weights are
 * computed in float32 step by step as torch builds them for a float32 waveform, so they match the
 * reference kernel to the last bit up to sin/cos rounding; dot products accumulate in double.
 *
 * <p>For ordinary rate pairs the whole kernel table is precomputed (n x taps floats). For odd
 * rates (e.g. 44099 Hz: gcd 1, a 16000 x 44133 table in torch) only the taps whose argument is
 * inside the +-6 window are evaluated, per output; the skipped taps are clamped to t = +-6 where
 * torch's weight is below 1e-14, so the result differs from the full sum by less than that per tap.
 */
public final class SincResampler {
    private static final int LOWPASS_WIDTH = 6;
    private static final double ROLLOFF = 0.99;
    private static final long MAX_TABLE = 1L << 22;

    private final int orig, target, width;
    private final float baseF, scale;
    private final float[][] table; // [target phase][2*width + orig], or null for odd rate pairs

    public SincResampler(int origRate, int newRate) {
        this(origRate, newRate, false);
    }

    /** {@code windowedOnly}: skip the table even where it would fit (tests compare both paths). */
    SincResampler(int origRate, int newRate, boolean windowedOnly) {
        if (origRate <= 0 || newRate <= 0) throw new IllegalArgumentException("sample rates must be positive");
        int g = gcd(origRate, newRate);
        this.orig = origRate / g;
        this.target = newRate / g;
        double base = Math.min(orig, target) * ROLLOFF;
        this.width = (int) Math.ceil(LOWPASS_WIDTH * orig / base);
        this.baseF = (float) base;
        this.scale = (float) (base / orig);
        this.table = !windowedOnly && (long) target * taps() <= MAX_TABLE ? table() : null;
    }

    private int taps() {
        return 2 * width + orig;
    }

    /** torch's kernel[j][i], float32 in torch's order of operations. */
    private float weight(int j, int i) {
        float piF = (float) Math.PI;
        float phase = (float) (-(double) j / target); // a Python float scalar, rounded once
        float t = (phase + (float) (i - width) / (float) orig) * baseF;
        t = Math.max(-LOWPASS_WIDTH, Math.min(LOWPASS_WIDTH, t));
        float c = (float) Math.cos(t * piF / LOWPASS_WIDTH / 2f);
        float window = c * c;
        float tp = t * piF;
        float sinc = tp == 0f ? 1f : (float) Math.sin(tp) / tp;
        return sinc * window * scale; // torch: kernel.mul_(window), then stack(...).mul_(scale)
    }

    private float[][] table() {
        float[][] k = new float[target][taps()];
        for (int j = 0; j < target; j++) for (int i = 0; i < k[j].length; i++) k[j][i] = weight(j, i);
        return k;
    }

    /** Output length of the reference: ceil(n * frames / o). */
    public long outputLength(long frames) {
        return Math.ceilDiv(Math.multiplyExact(frames, target), orig);
    }

    /** Outputs [from, from + count) of one channel; the whole output is [0, outputLength). */
    public float[] resample(Pcm in, int channel, long from, int count) {
        float[] out = new float[count];
        if (count == 0) return out;
        long first = (from / target) * orig - width; // first input sample any of these outputs reads
        long last = ((from + count - 1) / target) * orig - width + taps();
        float[] x = new float[Math.toIntExact(last - first)];
        for (int i = 0; i < x.length; i++) x[i] = in.sample(channel, first + i); // zero outside the signal
        Parallel.forRange(count, (s, e) -> {
            for (int q = s; q < e; q++) {
                long index = from + q;
                int j = (int) (index % target);
                int start = (int) ((index / target) * orig - width - first);
                out[q] = table != null ? dot(table[j], x, start) : windowedDot(j, x, start);
            }
        });
        return out;
    }

    private static float dot(float[] k, float[] x, int start) {
        double acc = 0;
        for (int i = 0; i < k.length; i++) acc += (double) k[i] * x[start + i];
        return (float) acc;
    }

    /** Only taps with |t| < 6 (t = (i - width)/o - j/n, scaled by base), one tap of margin each side. */
    private float windowedDot(int j, float[] x, int start) {
        double centre = width + (double) j * orig / target, half = LOWPASS_WIDTH * (double) orig / baseF;
        int lo = (int) Math.max(0, Math.floor(centre - half) - 1), hi = (int) Math.min(taps() - 1, Math.ceil(centre + half) + 1);
        double acc = 0;
        for (int i = lo; i <= hi; i++) acc += (double) weight(j, i) * x[start + i];
        return (float) acc;
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
