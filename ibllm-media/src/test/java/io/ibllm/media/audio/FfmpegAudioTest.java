package io.ibllm.media.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.media.MediaTensors;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Compressed audio through FFmpeg. Fixtures (src/test/resources/audio): tone.wav, a 1.5 s
 * 22.05 kHz stereo tone + noise, and the same samples encoded with PyAV as FLAC (lossless),
 * MP3 64 kb/s, Ogg Vorbis and AAC in M4A.
 */
class FfmpegAudioTest {
    private static Path fixture(String name) {
        try {
            return Path.of(FfmpegAudioTest.class.getResource("/audio/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static float[][] decode(String name) {
        try (Pcm p = AudioFiles.open(fixture(name))) {
            assertEquals(2, p.channels(), name);
            assertEquals(22050, p.sampleRate(), name);
            return new float[][] {p.channel(0), p.channel(1)};
        }
    }

    @Test
    void flacDecodesToExactlyTheWavSamples() {
        float[][] wav = decode("tone.wav"), flac = decode("tone.flac");
        assertArrayEquals(wav[0], flac[0]);
        assertArrayEquals(wav[1], flac[1]);
        assertArrayEquals(MediaTensors.audio(fixture("tone.wav")).toFloatArray(), MediaTensors.audio(fixture("tone.flac")).toFloatArray());
    }

    @Test
    void lossyCodecsDecodeToTheSameSignal() {
        float[][] wav = decode("tone.wav");
        for (String name : new String[] {"tone.mp3", "tone.ogg", "tone.m4a"}) {
            float[][] x = decode(name);
            assertTrue(Math.abs(x[0].length - wav[0].length) < 4096, name + " has " + x[0].length + " frames");
            for (int c = 0; c < 2; c++) {
                double best = bestCorrelation(wav[c], x[c]);
                assertTrue(best > 0.95, name + " channel " + c + ": correlation " + best);
            }
            assertEquals(3, MediaTensors.audio(fixture(name)).dim(0));
        }
    }

    /** Max normalised correlation over lags 0..3000 (encoder delay), on the middle of the clip. */
    private static double bestCorrelation(float[] ref, float[] x) {
        int from = 4000, len = 20000;
        double best = -1;
        for (int lag = 0; lag <= 3000; lag++) {
            double sxy = 0, sxx = 0, syy = 0;
            for (int i = from; i < from + len && i + lag < x.length; i++) {
                sxy += ref[i] * x[i + lag];
                sxx += ref[i] * ref[i];
                syy += x[i + lag] * x[i + lag];
            }
            best = Math.max(best, sxy / Math.sqrt(sxx * syy + 1e-30));
        }
        return best;
    }
}
