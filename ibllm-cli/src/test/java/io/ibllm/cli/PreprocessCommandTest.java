package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.Npy;
import io.ibllm.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ibllm preprocess} writes the reference's encoder inputs from the raw golden files. */
class PreprocessCommandTest {
    @TempDir
    Path dir;

    static Path golden(String rel) {
        String p = System.getProperty("ibllm.golden");
        if (p != null && Files.isDirectory(Path.of(p))) return Path.of(p, rel);
        return Path.of("..", "testdata", "golden", rel);
    }

    @Test
    void imageAndVideoMatchTheGoldenTensors() {
        Path img = dir.resolve("img.npy"), vid = dir.resolve("vid.npy");
        assertEquals(0, Main.run("preprocess", "--image", golden("inputs/image_1.jpg").toString(), "--out", img.toString()));
        Tensor t = Npy.read(img);
        assertArrayEquals(new long[] {1, 3, 224, 224}, t.shape());
        float[] ref = Npy.read(golden("preprocess/vision.npy")).toFloatArray();
        assertArrayEquals(Arrays.copyOfRange(ref, 3 * 224 * 224, 6 * 224 * 224), t.toFloatArray());
        assertEquals(0, Main.run("preprocess", "--video", golden("inputs/video_0.mp4").toString(), "--clips-per-video", "1",
                "--out", vid.toString()));
        Tensor v = Npy.read(vid);
        Tensor g = Npy.read(golden("preprocess/video_clips1.npy"));
        assertArrayEquals(g.shape(), v.shape());
        assertArrayEquals(g.toFloatArray(), v.toFloatArray());
    }

    @Test
    void badInputExitsWithOneAndWritesNothing() {
        Path out = dir.resolve("x.npy");
        assertEquals(1, Main.run("preprocess", "--image", dir.resolve("missing.png").toString(), "--out", out.toString()));
        assertEquals(1, Main.run("preprocess", "--video", golden("inputs/audio_0.wav").toString(), "--out", out.toString()));
        assertEquals(1, Main.run("preprocess", "--video", golden("inputs/video_0.mp4").toString(), "--clips-per-video", "0",
                "--out", out.toString()));
        assertFalse(Files.exists(out));
    }

    @Test
    void pointsFromPlyMatchTheReferenceBatchRow() {
        Path out = dir.resolve("p.npy");
        assertEquals(0, Main.run("preprocess", "--points", golden("inputs/point_1.ply").toString(), "--out", out.toString()));
        Tensor t = Npy.read(out);
        assertArrayEquals(new long[] {1, 1024, 3}, t.shape());
        float[] ref = Npy.read(golden("preprocess/points.npy")).toFloatArray();
        assertArrayEquals(java.util.Arrays.copyOfRange(ref, 1024 * 3, 2 * 1024 * 3), t.toFloatArray());
    }

    @Test
    void normalizedPointsLieInTheUnitSphere() {
        Path out = dir.resolve("n.npy");
        assertEquals(0, Main.run("preprocess", "--points", golden("inputs/point_2.pt").toString(), "--normalize-points",
                "--num-points", "100", "--out", out.toString()));
        float[] v = Npy.read(out).toFloatArray();
        assertEquals(300, v.length);
        double maxR = 0;
        for (int i = 0; i < 100; i++) maxR = Math.max(maxR, Math.sqrt(v[3 * i] * v[3 * i] + v[3 * i + 1] * v[3 * i + 1] + v[3 * i + 2] * v[3 * i + 2]));
        assertTrue(maxR <= 1 + 1e-6 && maxR > 0.5, "max radius " + maxR);
    }

    @Test
    void badInputFailsWithoutWritingOutput() throws Exception {
        Path bad = dir.resolve("bad.wav");
        Files.writeString(bad, "RIFF....WAVEjunk");
        Path out = dir.resolve("x.npy");
        assertEquals(1, Main.run("preprocess", "--audio", bad.toString(), "--out", out.toString()));
        assertFalse(Files.exists(out));
        assertEquals(2, Main.run("preprocess", "--audio", bad.toString(), "--imu", bad.toString(), "--out", out.toString()));
    }
}
