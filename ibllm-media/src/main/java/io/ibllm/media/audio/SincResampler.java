package io.ibllm.media.audio;

import io.ibllm.tensor.Parallel;

/**
 * torchaudio 0.13 {@code functional.resample} with its defaults (sinc_interp_hann,
 * lowpass_filter_width 6, rolloff 0.99). The rates are reduced by their gcd to o -> n; output
 * phase j of every block of n outputs is a dot product of a (2*width + o)-tap windowed-sinc
 * kernel with the input starting at o*block - width (zero outside the signal). The kernel is
 * built in float32 step by step as torch builds it for a float32 waveform, so it matches the
 * reference kernel to the last bit up to sin/cos rounding; the dot products accumulate in double.
 */
public final class SincResampler {
    private static final int LOWPASS_WIDTH = 6;
    private static final double ROLLOFF = 0.99;

    private final int orig, target, width;
    private final float[][] kernels; // [target phase][2*width + orig]

    public SincResampler(int origRate, int newRate) {
        if (origRate <= 0 || newRate <= 0) throw new IllegalArgumentException("sample rates must be positive");
        int g = gcd(origRate, newRate);
        this.orig = origRate / g;
        this.target = newRate / g;
        double base = Math.min(orig, target) * ROLLOFF;
        this.width = (int) Math.ceil(LOWPASS_WIDTH * orig / base);
        this.kernels = kernels(orig, target, width, base);
    }

    private static float[][] kernels(int orig, int target, int width, double base) {
        int taps = 2 * width + orig;
        float[][] k = new float[target][taps];
        float baseF = (float) base, piF = (float) Math.PI, scale = (float) (base / orig);
        for (int j = 0; j < target; j++) {
            float phase = (float) (-(double) j / target); // a Python float scalar, rounded once
            for (int i = 0; i < taps; i++) {
                float t = (phase + (float) (i - width) / (float) orig) * baseF;
                t = Math.max(-LOWPASS_WIDTH, Math.min(LOWPASS_WIDTH, t));
                float c = (float) Math.cos(t * piF / LOWPASS_WIDTH / 2f);
                float window = c * c;
                float tp = t * piF;
                float sinc = tp == 0f ? 1f : (float) Math.sin(tp) / tp;
                k[j][i] = sinc * window * scale; // torch: kernel.mul_(window), then stack(...).mul_(scale)
            }
        }
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
        long last = ((from + count - 1) / target) * orig - width + kernels[0].length;
        float[] x = new float[Math.toIntExact(last - first)];
        for (int i = 0; i < x.length; i++) x[i] = in.sample(channel, first + i); // zero outside the signal
        Parallel.forRange(count, (s, e) -> {
            for (int q = s; q < e; q++) {
                long index = from + q;
                float[] k = kernels[(int) (index % target)];
                int start = (int) ((index / target) * orig - width - first);
                double acc = 0;
                for (int i = 0; i < k.length; i++) acc += (double) k[i] * x[start + i];
                out[q] = (float) acc;
            }
        });
        return out;
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
