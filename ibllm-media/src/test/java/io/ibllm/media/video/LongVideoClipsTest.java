package io.ibllm.media.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ibllm.media.image.Image8;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 10 s, 30 fps uncompressed AVI (stream duration 10 s: clips [0,2), [2,4), ..., [8,10), i.e.
 * max start 8 / (5 - 1)): every clip holds 60 frames and keeps exactly its first and last one
 * (frames are told apart by their gray level). Without a stream duration the last frame's pts
 * would be used (see VideoContainersTest for Matroska).
 */
class LongVideoClipsTest {
    @TempDir
    Path dir;

    @Test
    void fiveClipsOfATenSecondVideo() {
        for (String ext : new String[] {"avi"}) {
            Path f = dir.resolve("long." + ext);
            RawVideo.write(f, 64, 48, 300, 30);
            long d; // the duration in frames as the reference sees it
            try (VideoDecoder dec = VideoDecoder.open(f)) {
                d = dec.info().durationPts() >= 0 ? dec.info().durationPts() : 299; // else: last frame's pts
            }
            List<VideoLoader.SampledClip> clips = new VideoLoader().sample(f);
            assertEquals(5, clips.size(), ext);
            for (int i = 0; i < 5; i++) {
                // start = i * (d - 60) / 4 frames; frames [ceil(start), ceil(start + 60))
                int first = (int) Math.ceilDiv(i * (d - 60), 4L), last = Math.min(first + 59, 299);
                VideoLoader.SampledClip c = clips.get(i);
                assertEquals(last - first + 1, c.frameCount(), ext + " clip " + i);
                assertArrayEquals(new int[] {RawVideo.luma(first), RawVideo.luma(last)}, lumaOf(c.frames()), ext + " clip " + i);
            }
            assertArrayEquals(new long[] {15, 3, 2, 224, 224}, new VideoLoader().load(f).shape(), ext);
        }
    }

    private static int[] lumaOf(List<Image8> frames) {
        int[] out = new int[frames.size()];
        for (int i = 0; i < out.length; i++) out[i] = frames.get(i).get(10, 10, 1);
        return out;
    }
}
