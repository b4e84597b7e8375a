package io.ibllm.media.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ibllm.io.Npy;
import io.ibllm.media.MediaGolden;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The golden H.264 stream remuxed into MKV and MOV decodes to the same pixels. Matroska
 * has no stream duration, so this also exercises the reference's fallback (duration = last
 * frame pts: 2.4 s); with one clip [0, 2) the frames are still 0 and 19.
 */
class VideoContainersTest {
    @TempDir
    Path dir;

    @Test
    void otherContainersGiveTheGoldenClip() {
        float[] golden = Npy.read(MediaGolden.file("preprocess/video_clips1.npy")).toFloatArray();
        for (String ext : new String[] {"mkv", "mov"}) {
            Path f = dir.resolve("v." + ext);
            Remux.copy(VideoGoldenTest.VIDEO, f);
            try (VideoDecoder d = VideoDecoder.open(f)) {
                System.out.println(ext + ": " + d.info());
                if (ext.equals("mkv")) assertEquals(-1, d.info().durationPts(), "Matroska stream duration");
            }
            float[] ours = new VideoLoader(1).load(f).toFloatArray();
            assertEquals(0f, MediaGolden.maxAbsDiff(ours, 0, golden, 0, golden.length), ext);
        }
    }
}
