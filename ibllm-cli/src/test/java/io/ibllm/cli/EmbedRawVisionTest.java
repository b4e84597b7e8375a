package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.Npy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ibllm embed} on the RAW golden image and video files (media loaders + ImageBind). */
class EmbedRawVisionTest {
    @TempDir
    Path tmp;

    static String g(String rel) {
        return PreprocessCommandTest.golden(rel).toString();
    }

    static void assertClose(float[] ref, float[] got, String what) {
        assertEquals(ref.length, got.length, what);
        double maxRef = 0, maxDiff = 0;
        for (int i = 0; i < ref.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
            maxDiff = Math.max(maxDiff, Math.abs(ref[i] - got[i]));
        }
        System.out.println(what + ": max abs diff " + maxDiff + " (max |ref| " + maxRef + ")");
        assertTrue(maxDiff <= 1e-4 * maxRef, what + ": max|a-b| " + maxDiff);
    }

    @Test
    void rawImagesAndDefaultFiveClipVideoReproduceTheGoldenEmbeddings() {
        Path out = tmp.resolve("e.npy");
        int rc = Main.run("embed", "--imagebind", g("checkpoints/imagebind_w3D.safetensors"),
                "--imagebind-config", g("config/golden_config.json"),
                "--image", g("inputs/image_0.png"), "--image", g("inputs/image_1.jpg"), "--video", g("inputs/video_0.mp4"),
                "--out", out.toString());
        assertEquals(0, rc);
        float[] got = Npy.read(out).toFloatArray();
        float[] vision = Npy.read(Path.of(g("outputs/imagebind/vision_postnorm.npy"))).toFloatArray();
        float[] video = Npy.read(Path.of(g("outputs/imagebind/video_clips5_postnorm.npy"))).toFloatArray();
        assertEquals(vision.length + video.length, got.length);
        float[] images = java.util.Arrays.copyOfRange(got, 0, vision.length);
        assertClose(vision, images, "raw images vs vision_postnorm");
        assertClose(video, java.util.Arrays.copyOfRange(got, vision.length, got.length), "raw video (5 clips) vs video_clips5_postnorm");
    }
}
