package io.ibllm.media.audio;

/**
 * torchaudio.compliance.kaldi.fbank as ImageBind calls it: 25 ms frames every 10 ms
 * (snip_edges), per frame DC removal, pre-emphasis 0.97, symmetric Hann window, zero-padding to
 * the next power of two, power spectrum, Kaldi mel triangles (mel = 1127 ln(1 + f/700),
 * 20 Hz .. Nyquist), log floored at float32 epsilon; dither 0, no energy column. Elementwise
 * steps are float32 in torch's order; the FFT and the mel dot products run in double.
 */
public final class KaldiFbank {
    private static final float PREEMPHASIS = 0.97f;
    private static final float EPSILON = Math.ulp(1f); // torch.finfo(float32).eps
    private static final double LOW_FREQ = 20.0;

    private final int frameLength, frameShift, melBins;
    private final float[] window;
    private final float[][] banks; // [melBins][nfft/2], float32 as torchaudio builds them
    private final Fft fft;

    public KaldiFbank(int sampleRate, int melBins) {
        this.frameLength = (int) (sampleRate * 25.0 * 0.001);
        this.frameShift = (int) (sampleRate * 10.0 * 0.001);
        this.melBins = melBins;
        this.fft = new Fft(Integer.highestOneBit(frameLength - 1) << 1);
        this.window = hannWindow(frameLength);
        this.banks = melBanks(melBins, fft.size(), sampleRate);
    }

    public int frameLength() { return frameLength; }

    /** Frames kaldi produces for {@code samples} samples with snip_edges (0 if too short). */
    public int frames(int samples) {
        return samples < frameLength ? 0 : 1 + (samples - frameLength) / frameShift;
    }

    /** Log-mel energies of x[from, from+len): [frames][melBins]. */
    public float[][] compute(float[] x, int from, int len) {
        int frames = frames(len);
        float[][] out = new float[frames][];
        io.ibllm.tensor.Parallel.forRange(frames, (s, e) -> {
            double[] re = new double[fft.size()], im = new double[fft.size()];
            for (int f = s; f < e; f++) out[f] = frame(x, from + f * frameShift, re, im);
        });
        return out;
    }

    private float[] frame(float[] x, int at, double[] re, double[] im) {
        float[] w = windowed(x, at);
        java.util.Arrays.fill(re, 0);
        java.util.Arrays.fill(im, 0);
        for (int i = 0; i < frameLength; i++) re[i] = w[i];
        fft.transform(re, im);
        int bins = fft.size() / 2; // bin nfft/2 has a zero weight in every mel band
        float[] power = new float[bins];
        for (int k = 0; k < bins; k++) {
            float mag = (float) Math.hypot(re[k], im[k]);
            power[k] = mag * mag;
        }
        float[] mel = new float[melBins];
        for (int m = 0; m < melBins; m++) {
            double acc = 0;
            float[] b = banks[m];
            for (int k = 0; k < bins; k++) acc += (double) power[k] * b[k];
            mel[m] = (float) Math.log(Math.max((float) acc, EPSILON));
        }
        return mel;
    }

    /** DC removal, pre-emphasis (x[-1] := x[0]) and the window, float32 as torch does them. */
    private float[] windowed(float[] x, int at) {
        double sum = 0;
        for (int i = 0; i < frameLength; i++) sum += x[at + i];
        float mean = (float) (sum / frameLength);
        float[] d = new float[frameLength];
        for (int i = 0; i < frameLength; i++) d[i] = x[at + i] - mean;
        float[] w = new float[frameLength];
        for (int i = 0; i < frameLength; i++) {
            float prev = d[Math.max(i - 1, 0)];
            w[i] = (d[i] - PREEMPHASIS * prev) * window[i];
        }
        return w;
    }

    /** torch.hann_window(n, periodic=False): 0.5 - 0.5 cos(2 pi i / (n-1)), in float32. */
    static float[] hannWindow(int n) {
        float step = (float) (Math.PI * 2.0 / (n - 1));
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = (float) Math.cos(i * step) * -0.5f + 0.5f;
        return w;
    }

    static double melScale(double hz) {
        return 1127.0 * Math.log(1.0 + hz / 700.0);
    }

    /** kaldi.get_mel_banks (no VTLN): the scalars are doubles, the tensors float32. */
    static float[][] melBanks(int melBins, int nfft, int sampleRate) {
        double nyquist = 0.5 * sampleRate;
        double melLow = melScale(LOW_FREQ), melHigh = melScale(nyquist);
        float delta = (float) ((melHigh - melLow) / (melBins + 1));
        float low = (float) melLow, binWidth = (float) ((double) sampleRate / nfft);
        float[][] banks = new float[melBins][nfft / 2];
        for (int m = 0; m < melBins; m++) {
            float left = low + (float) m * delta;
            float center = low + (float) (m + 1) * delta;
            float right = low + (float) (m + 2) * delta;
            for (int k = 0; k < nfft / 2; k++) {
                float hz = binWidth * k;
                float mel = 1127f * (float) Math.log(1f + hz / 700f);
                float up = (mel - left) / (center - left);
                float down = (right - mel) / (right - center);
                banks[m][k] = Math.max(0f, Math.min(up, down));
            }
        }
        return banks;
    }
}
