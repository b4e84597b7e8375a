package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.Npy;
import io.ibllm.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ibllm embed} from encoder-layout .npy inputs against the golden ImageBind embeddings (1e-4 relative). */
class EmbedCommandTest {
    private static final Path GOLDEN = Path.of(System.getProperty("ibllm.golden", "../testdata/golden"));
    @TempDir Path tmp;

    private static String g(String rel) { return GOLDEN.resolve(rel).toString(); }

    /** Runs the CLI, returning exit code and captured stdout+stderr. */
    private static String[] run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream cap = new PrintStream(buf, true, StandardCharsets.UTF_8);
        int rc;
        try {
            System.setOut(cap);
            System.setErr(cap);
            rc = Main.run(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new String[] {String.valueOf(rc), buf.toString(StandardCharsets.UTF_8)};
    }

    private static float[] concat(String... goldens) {
        java.util.List<Float> all = new java.util.ArrayList<>();
        for (String name : goldens) for (float v : Npy.read(GOLDEN.resolve("outputs/imagebind/" + name + ".npy")).toFloatArray()) all.add(v);
        float[] r = new float[all.size()];
        for (int i = 0; i < r.length; i++) r[i] = all.get(i);
        return r;
    }

    private static void assertClose(float[] ref, Tensor got, Supplier<String> what) {
        float[] a = got.toFloatArray();
        assertEquals(ref.length, a.length, what);
        double maxRef = 0, maxDiff = 0;
        for (int i = 0; i < ref.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
            maxDiff = Math.max(maxDiff, Math.abs(ref[i] - a[i]));
        }
        assertTrue(maxDiff <= 1e-4 * maxRef, what.get() + ": max|a-b| " + maxDiff + " > 1e-4 * " + maxRef);
    }

    @Test
    void postnormRowsInCommandLineOrderWithSimilarity() {
        Path out = tmp.resolve("e.npy");
        String[] r = run("embed", "--imagebind", g("checkpoints/imagebind_w3D.safetensors"),
                "--imagebind-config", g("config/golden_config.json"),
                "--depth", g("inputs/depth.npy"), "--text-tokens", g("preprocess/text_tokens.npy"),
                "--image", g("preprocess/vision.npy"), "--video", g("preprocess/video_clips1.npy"),
                "--out", out.toString(), "--similarity");
        assertEquals("0", r[0], r[1]);
        Tensor got = Npy.read(out);
        assertArrayEquals(new long[] {2 + 13 + 2 + 1, 32}, got.shape());
        assertClose(concat("depth_postnorm", "text_postnorm", "vision_postnorm", "video_postnorm"), got, () -> "embed rows");
        assertTrue(r[1].contains("[0] depth:") && r[1].contains("[17] video:"), r[1]);
        assertTrue(r[1].contains("  1.0000"), r[1]);
    }

    @Test
    void prenormRows() {
        Path out = tmp.resolve("p.npy");
        String[] r = run("embed", "--imagebind", g("checkpoints/imagebind_w3D.safetensors"),
                "--imagebind-config", g("config/golden_config.json"), "--prenorm",
                "--imu", g("inputs/imu.npy"), "--audio", g("preprocess/audio.npy"), "--thermal", g("inputs/thermal.npy"),
                "--out", out.toString());
        assertEquals("0", r[0], r[1]);
        assertClose(concat("imu_prenorm", "audio_prenorm", "thermal_prenorm"), Npy.read(out), () -> "prenorm rows");
    }

    /** --text through the CLIP tokenizer, --points with the reference's FPS start, a .pth checkpoint. */
    @Test
    void textStringAndPointCloud() {
        Path out = tmp.resolve("t.npy");
        String[] r = run("embed", "--imagebind", g("checkpoints/imagebind_w3D.pth"),
                "--imagebind-config", g("config/golden_config.json"),
                "--points", g("inputs/point_0.npy"), "--fps-start", "628", "--text", "a photo of a dog", "--out", out.toString());
        assertEquals("0", r[0], r[1]);
        float[] point = Npy.read(GOLDEN.resolve("outputs/imagebind/point_postnorm.npy")).toFloatArray();
        float[] text = Npy.read(GOLDEN.resolve("outputs/imagebind/text_postnorm.npy")).toFloatArray();
        float[] ref = new float[64];
        System.arraycopy(point, 0, ref, 0, 32);
        System.arraycopy(text, 0, ref, 32, 32);
        assertClose(ref, Npy.read(out), () -> "point + text rows");
    }

    @Test
    void wrongLayoutIsAOneLineErrorAndWritesNothing() throws Exception {
        Path out = tmp.resolve("x.npy");
        String[] r = run("embed", "--imagebind", g("checkpoints/imagebind_w3D.safetensors"),
                "--imagebind-config", g("config/golden_config.json"), "--image", g("inputs/imu.npy"), "--out", out.toString());
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("ibllm: ") && r[1].contains("imu.npy") && r[1].contains("vision input has shape"), r[1]);
        assertFalse(Files.exists(out));
        r = run("embed", "--imagebind", g("checkpoints/imagebind_w3D.safetensors"),
                "--imagebind-config", g("config/golden_config.json"), "--text-tokens", g("inputs/imu.npy"), "--out", out.toString());
        assertEquals("1", r[0]);
        assertTrue(r[1].contains("integer token ids"), r[1]);
        assertFalse(Files.exists(out));
    }
}
