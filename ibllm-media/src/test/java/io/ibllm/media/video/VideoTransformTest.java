package io.ibllm.media.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.Npy;
import io.ibllm.media.MediaGolden;
import io.ibllm.media.image.Image8;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Geometry the golden (landscape) clip does not cover. */
class VideoTransformTest {
    static Image8 transpose(Image8 img) {
        int w = img.width(), h = img.height();
        byte[] out = new byte[img.data().length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) out[(x * h + y) * 3 + c] = (byte) img.get(x, y, c);
            }
        }
        return new Image8(h, w, 3, out);
    }

    @Test
    void portraitCropsAreTopCentreBottom() {
        // transposed frames must give the transposed golden crops (left/centre/right -> top/centre/bottom)
        float[] golden = Npy.read(MediaGolden.file("preprocess/video_clips1.npy")).toFloatArray();
        float[][] crops = VideoTransform.apply(List.of(transpose(VideoGoldenTest.goldenFrame(0)), transpose(VideoGoldenTest.goldenFrame(19))));
        int n = 224;
        float max = 0;
        for (int k = 0; k < 3; k++) {
            for (int p = 0; p < 6; p++) {
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        float a = crops[k][(p * n + y) * n + x], b = golden[k * VideoGoldenTest.CROP + (p * n + x) * n + y];
                        max = Math.max(max, Math.abs(a - b));
                    }
                }
            }
        }
        assertTrue(max < 1e-5f, "portrait differs from transposed landscape by " + max);
    }

    @Test
    void shortSideScaleSizes() {
        assertArrayEquals(new int[] {298, 224}, VideoTransform.scaledSize(80, 60));
        assertArrayEquals(new int[] {224, 298}, VideoTransform.scaledSize(60, 80));
        assertArrayEquals(new int[] {224, 224}, VideoTransform.scaledSize(50, 50));
        assertArrayEquals(new int[] {398, 224}, VideoTransform.scaledSize(1920, 1080)); // floor(1920/1080*224) = 398
    }
}
