package io.ibllm.media.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClipSamplerAndResamplerTest {

    /** Expected values computed with Python's fractions.Fraction following pytorchvideo 28fe037d. */
    @Test
    void clipBoundariesFollowThePinnedSamplerExactly() {
        check(277552, new String[] {"0", "2159898233789219/281474976710656", "2159898233789219/140737488355328"},
                new long[] {0, 122776, 245552});
        check(160000, new String[] {"0", "4", "8"}, new long[] {0, 64000, 128000});
        check(48001, new String[] {"0", "2251940551173603/4503599627370496", "2251940551173603/2251799813685248"},
                new long[] {0, 8000, 16000});
        check(31999, new String[] {"0", "0", "0"}, new long[] {0, 0, 0});
    }

    private static void check(long frames, String[] starts, long[] startSamples) {
        List<AudioPreprocessor.AudioClip> clips = AudioPreprocessor.clips(frames, AudioConfig.IMAGEBIND);
        assertEquals(3, clips.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(starts[i], clips.get(i).clip().start().toString(), frames + " clip " + i);
            assertEquals(startSamples[i], clips.get(i).startSample(), frames + " clip " + i);
            assertEquals(startSamples[i] + 32000, clips.get(i).endSample(), frames + " clip " + i);
        }
    }

    @Test
    void resamplingKeepsAToneAtOtherRatePairs() {
        // 44099 Hz has gcd 1 with 16000: no kernel table, the windowed path
        int[][] pairs = {{8000, 16000}, {48000, 16000}, {22050, 16000}, {11025, 16000}, {44099, 16000}, {16001, 16000}};
        for (int[] p : pairs) {
            int in = p[0], out = p[1], n = in / 2;
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float) Math.sin(2 * Math.PI * 440 * i / in);
            SincResampler r = new SincResampler(in, out);
            long len = r.outputLength(n);
            assertEquals((long) Math.ceil((double) n * out / in), len);
            float[] y = r.resample(Pcm.of(new float[][] {x}, in), 0, 0, (int) len);
            double err = 0;
            for (int i = 200; i < len - 200; i++) err = Math.max(err, Math.abs(y[i] - Math.sin(2 * Math.PI * 440 * i / out)));
            assertTrue(err < 2e-3, in + " -> " + out + ": max interior error " + err);
        }
    }
}
