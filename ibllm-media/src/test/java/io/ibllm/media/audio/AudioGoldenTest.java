package io.ibllm.media.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.Npy;
import io.ibllm.media.TestData;
import io.ibllm.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audio pipeline against the reference's preprocess/ goldens and golden.json "audio". */
class AudioGoldenTest {

    @Test
    void resampling44100To16000MatchesTorchaudio() {
        Tensor ref = Npy.read(TestData.golden("preprocess/audio_0_resampled_16k.npy"));
        try (Pcm pcm = AudioFiles.open(TestData.golden("inputs/audio_0.wav"))) {
            float[][] ours = AudioPreprocessor.resampled(pcm, 16000);
            assertEquals(ref.dim(0), ours.length);
            assertEquals(ref.dim(1), ours[0].length);
            float[] flat = new float[ours.length * ours[0].length];
            for (int c = 0; c < ours.length; c++) System.arraycopy(ours[c], 0, flat, c * ours[0].length, ours[0].length);
            double err = TestData.maxAbsDiff(flat, ref.toFloatArray());
            System.out.println("audio_0_resampled_16k max abs error " + err);
            assertTrue(err < 1e-6, "max abs error " + err);
        }
    }

    @Test
    void windowedKernelPathMatchesTheFullTable() {
        try (Pcm pcm = AudioFiles.open(TestData.golden("inputs/audio_0.wav"))) {
            int n = (int) new SincResampler(44100, 16000).outputLength(pcm.frames());
            float[] table = new SincResampler(44100, 16000).resample(pcm, 1, 0, n);
            float[] windowed = new SincResampler(44100, 16000, true).resample(pcm, 1, 0, n);
            double err = TestData.maxAbsDiff(table, windowed);
            assertTrue(err < 1e-7, "windowed vs table " + err);
        }
    }

    @Test
    void melClipsMatchReferenceForBothFiles() {
        Tensor ref = Npy.read(TestData.golden("preprocess/audio.npy"));
        float[] all = ref.toFloatArray();
        int per = Math.toIntExact(ref.numel() / ref.dim(0));
        String[] files = {"inputs/audio_0.wav", "inputs/audio_1.wav"};
        for (int b = 0; b < files.length; b++) {
            AudioPreprocessor.Result r = new AudioPreprocessor(AudioConfig.IMAGEBIND).process(TestData.golden(files[b]));
            assertArrayEquals(new long[] {ref.dim(1), ref.dim(2), ref.dim(3), ref.dim(4)}, r.shape());
            float[] expected = java.util.Arrays.copyOfRange(all, b * per, (b + 1) * per);
            double err = TestData.maxAbsDiff(r.values(), expected);
            System.out.println(files[b] + " log-mel max abs error " + err);
            assertTrue(err < 1e-4, files[b] + ": max abs error " + err);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void clipRangesAndSubtractedMeansMatchGoldenJson() {
        Map<String, Object> audio = (Map<String, Object>) TestData.goldenJson().get("audio");
        for (Object o : (List<Object>) audio.get("files")) {
            Map<String, Object> f = (Map<String, Object>) o;
            AudioPreprocessor.Result r = new AudioPreprocessor(AudioConfig.IMAGEBIND)
                    .process(TestData.golden("inputs/" + f.get("file")));
            List<Object> clips = (List<Object>) f.get("clips");
            assertEquals(clips.size(), r.clips().size());
            for (int i = 0; i < clips.size(); i++) {
                Map<String, Object> g = (Map<String, Object>) clips.get(i);
                AudioPreprocessor.ClipTrace t = r.clips().get(i);
                assertEquals(g.get("start_fraction"), t.clip().clip().start().toString());
                assertEquals(g.get("end_fraction"), t.clip().clip().end().toString());
                assertEquals(((Number) g.get("start_sample")).longValue(), t.clip().startSample());
                assertEquals(((Number) g.get("end_sample")).longValue(), t.clip().endSample());
                assertEquals(((Number) g.get("clip_num_samples")).intValue(), t.samples());
                double mean = ((Number) g.get("mean_subtracted")).doubleValue();
                // the means are ~1e-4 (or ~1e-9 for already-centred overlapping clips): compare absolutely
                assertEquals(mean, t.meanSubtracted(), 2e-8, f.get("file") + " clip " + i);
            }
        }
    }
}
