package io.ibllm.media.audio;

/**
 * Decoded audio as torchaudio.load(normalize=True) sees it: per channel, float samples in
 * [-1, 1]. Samples are read on demand so a long file is never expanded to floats as a whole.
 */
public interface Pcm extends AutoCloseable {
    int channels();

    long frames();

    int sampleRate();

    /** Sample {@code frame} of {@code channel}; 0 outside [0, frames) (the resampler's zero padding). */
    float sample(int channel, long frame);

    /** A whole channel as an array (tests and short clips; refuses channels past 2^31 samples). */
    default float[] channel(int c) {
        if (frames() > Integer.MAX_VALUE - 8) throw new IllegalStateException("channel too long for an array: " + frames());
        float[] out = new float[(int) frames()];
        for (int i = 0; i < out.length; i++) out[i] = sample(c, i);
        return out;
    }

    /** Releases a mapped file; in-memory PCM holds nothing. */
    @Override
    default void close() {}

    /** In-memory PCM, e.g. already-resampled audio. */
    static Pcm of(float[][] channels, int sampleRate) {
        return new Pcm() {
            public int channels() { return channels.length; }
            public long frames() { return channels[0].length; }
            public int sampleRate() { return sampleRate; }
            public float sample(int c, long i) {
                return i < 0 || i >= channels[c].length ? 0f : channels[c][(int) i];
            }
        };
    }
}
