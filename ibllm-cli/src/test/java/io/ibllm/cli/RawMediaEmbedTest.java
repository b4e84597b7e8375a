package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.Npy;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ibllm embed} on the RAW golden audio and point files (WAV decoding, resampling, clips,
 * fbank; PLY and torch.save readers) reproduces the reference's ImageBind embeddings.
 */
class RawMediaEmbedTest {
    @TempDir Path tmp;

    private static String g(String rel) { return CliRun.golden(rel).toString(); }

    private float[] embed(String... inputs) {
        Path out = tmp.resolve("e" + System.nanoTime() + ".npy");
        String[] base = {"embed", "--imagebind", g("checkpoints/imagebind_w3D.safetensors"),
                "--imagebind-config", g("config/golden_config.json"), "--out", out.toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + inputs.length);
        System.arraycopy(inputs, 0, args, base.length, inputs.length);
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exitCode(), r.err());
        return Npy.read(out).toFloatArray();
    }

    private static void assertRow(float[] ref, int refRow, float[] got, int gotRow, int dim, String what) {
        double maxRef = 0, maxDiff = 0;
        for (int i = 0; i < dim; i++) {
            maxRef = Math.max(maxRef, Math.abs(ref[refRow * dim + i]));
            maxDiff = Math.max(maxDiff, Math.abs(ref[refRow * dim + i] - got[gotRow * dim + i]));
        }
        assertTrue(maxDiff <= 1e-4 * maxRef, what + ": max|a-b| " + maxDiff + " > 1e-4 * " + maxRef);
    }

    @Test
    void rawWavAndPointFilesReproduceThePostnormEmbeddings() {
        float[] audioRef = Npy.read(CliRun.golden("outputs/imagebind/audio_postnorm.npy")).toFloatArray();
        int dim = audioRef.length / 2;
        float[] pointRef = Npy.read(CliRun.golden("outputs/imagebind/point_postnorm.npy")).toFloatArray();
        // one model load; --fps-start 359 = golden.json pointbind.fps_start_indices[1] (the reference's random start)
        float[] rows = embed("--audio", g("inputs/audio_0.wav"), "--audio", g("inputs/audio_1.wav"),
                "--points", g("inputs/point_1.ply"), "--fps-start", "359");
        assertRow(audioRef, 0, rows, 0, dim, "audio_0.wav");
        assertRow(audioRef, 1, rows, 1, dim, "audio_1.wav");
        assertRow(pointRef, 1, rows, 2, dim, "point_1.ply");
    }
}
