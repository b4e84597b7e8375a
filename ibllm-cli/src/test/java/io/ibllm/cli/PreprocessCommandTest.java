package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.Npy;
import io.ibllm.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessCommandTest {
    @TempDir Path dir;

    private static Path golden(String rel) {
        String p = System.getProperty("ibllm.golden");
        return (p != null ? Path.of(p) : Path.of("../testdata/golden")).resolve(rel);
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
