package io.ibllm.io;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random corruption of the structured part of each format: a reader either succeeds or throws
 * a one-line FormatException; no other exception, error or hang.
 */
class FuzzFormatsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"formats/reference.gguf", "formats/reference.safetensors", "golden/checkpoints/knn.index",
        "formats/npy_f4_v2_F.npy", "golden/inputs/point_2.pt"})
    void mutatedHeadersGiveFormatExceptionsOnly(String rel) throws Exception {
        Path src = Golden.dir().resolveSibling(rel);
        byte[] good = Files.readAllBytes(src);
        boolean pth = rel.endsWith(".pt");
        Random rnd = new Random(rel.hashCode());
        Path f = tmp.resolve(src.getFileName());
        for (int trial = 0; trial < 60; trial++) {
            byte[] b = good.clone();
            int flips = 1 + rnd.nextInt(3);
            for (int k = 0; k < flips; k++) {
                // the zip's structure is at its end; other formats keep it at the start
                int at = pth ? good.length - 1 - rnd.nextInt(Math.min(good.length, 4096)) : rnd.nextInt(Math.min(good.length, 800));
                b[at] = rnd.nextInt(4) == 0 ? (byte) 0xFF : (byte) rnd.nextInt(256);
            }
            Files.write(f, b);
            try (TensorFile tf = rel.endsWith(".npy") ? null : Checkpoints.open(f)) {
                if (tf == null) Npy.read(f).toFloatArray();
                else for (var t : tf.tensors().values()) if (t.numel() > 0) t.getFloat(t.numel() - 1);
            } catch (FormatException e) {
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        }
    }
}
