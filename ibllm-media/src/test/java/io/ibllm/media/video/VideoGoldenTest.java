package io.ibllm.media.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.Json;
import io.ibllm.io.Npy;
import io.ibllm.media.MediaGolden;
import io.ibllm.media.image.Image8;
import io.ibllm.media.image.ImageLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** inputs/video_0.mp4 against PyAV's frames, golden.json's clip table and video_clips1.npy. */
class VideoGoldenTest {
    static final Path VIDEO = MediaGolden.file("inputs/video_0.mp4");
    static final int CROP = 3 * 2 * 224 * 224;

    @SuppressWarnings("unchecked")
    static Map<String, Object> golden() throws Exception {
        Map<String, Object> g = (Map<String, Object>) Json.parse(Files.readString(MediaGolden.file("golden.json")));
        return (Map<String, Object>) g.get("video");
    }

    static Image8 goldenFrame(int i) {
        return ImageLoader.decodeRgb(MediaGolden.file(String.format("preprocess/video_frames/frame_%03d.png", i)));
    }

    @Test
    @SuppressWarnings("unchecked")
    void decodedFramesAndTimestampsMatchPyAV() throws Exception {
        List<Long> pts = new ArrayList<>();
        List<Image8> frames = new ArrayList<>();
        try (VideoDecoder dec = VideoDecoder.open(VIDEO)) {
            assertEquals(golden().get("time_base"), dec.info().timeBase().toString());
            dec.decode((p, f) -> {
                pts.add(p);
                frames.add(dec.toRgb(f));
                return true;
            });
        }
        List<Object> expected = (List<Object>) golden().get("frame_pts");
        assertEquals(expected.size(), pts.size());
        for (int i = 0; i < pts.size(); i++) assertEquals(((Number) expected.get(i)).longValue(), pts.get(i));
        int maxDiff = 0;
        long differing = 0;
        for (int i = 0; i < frames.size(); i++) {
            byte[] a = frames.get(i).data(), b = goldenFrame(i).data();
            assertEquals(b.length, a.length);
            for (int j = 0; j < a.length; j++) {
                int d = Math.abs((a[j] & 0xFF) - (b[j] & 0xFF));
                if (d != 0) differing++;
                maxDiff = Math.max(maxDiff, d);
            }
        }
        System.out.println("video frames vs PyAV: max diff " + maxDiff + ", differing samples " + differing);
        assertTrue(maxDiff <= 0, "max RGB difference " + maxDiff);
    }

    @Test
    void transformFromPyAVFramesMatchesReference() {
        float[] golden = Npy.read(MediaGolden.file("preprocess/video_clips1.npy")).toFloatArray();
        float[][] crops = VideoTransform.apply(List.of(goldenFrame(0), goldenFrame(19)));
        float max = 0;
        for (int k = 0; k < 3; k++) max = Math.max(max, MediaGolden.maxAbsDiff(crops[k], 0, golden, k * CROP, CROP));
        System.out.println("video transform (from PyAV frames) max abs diff: " + max);
        assertTrue(max <= 1e-6f, "max abs diff " + max);
    }

    @Test
    void endToEndOneClipMatchesReference() {
        float[] golden = Npy.read(MediaGolden.file("preprocess/video_clips1.npy")).toFloatArray();
        var t = new VideoLoader(1).load(VIDEO);
        assertArrayEquals(new long[] {3, 3, 2, 224, 224}, t.shape());
        float d = MediaGolden.maxAbsDiff(t.toFloatArray(), 0, golden, 0, golden.length);
        System.out.println("video_0.mp4 end-to-end (1 clip) max abs diff: " + d);
        assertTrue(d <= 1e-4f, "max abs diff " + d);
    }

    @Test
    @SuppressWarnings("unchecked")
    void defaultFiveClipsFollowTheGoldenClipTable() throws Exception {
        List<VideoLoader.SampledClip> clips = new VideoLoader().sample(VIDEO);
        List<Object> table = ((List<Object>) golden().get("clips")).stream()
                .filter(c -> ((Map<String, Object>) c).get("call").toString().startsWith("default")).toList();
        assertEquals(table.size(), clips.size());
        List<Object> framePts = (List<Object>) golden().get("frame_pts");
        for (int i = 0; i < clips.size(); i++) {
            Map<String, Object> row = (Map<String, Object>) table.get(i);
            VideoLoader.SampledClip c = clips.get(i);
            assertEquals(row.get("start_fraction"), c.clip().start().toString());
            assertEquals(row.get("end_fraction"), c.clip().end().toString());
            assertEquals(((Number) row.get("num_frames_in_clip")).intValue(), c.frameCount());
            List<Object> idx = (List<Object>) row.get("subsampled_frame_indices");
            for (int k = 0; k < 2; k++) {
                assertEquals(((Number) framePts.get(((Number) idx.get(k)).intValue())).longValue(), c.framePts()[k]);
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void defaultFiveClipCropSumsMatchReference() throws Exception {
        float[] x = new VideoLoader().load(VIDEO).toFloatArray();
        List<Object> sums = (List<Object>) golden().get("default_clips5_crop_sums");
        assertEquals(sums.size() * CROP, x.length);
        for (int i = 0; i < sums.size(); i++) {
            double s = 0;
            for (int j = 0; j < CROP; j++) s += x[i * CROP + j];
            double ref = ((Number) sums.get(i)).doubleValue();
            assertEquals(ref, s, Math.abs(ref) * 1e-6, "crop " + i);
        }
    }
}
