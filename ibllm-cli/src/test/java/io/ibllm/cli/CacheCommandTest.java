package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.bind.VisualCache;
import io.ibllm.io.Json;
import io.ibllm.io.Npy;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ibllm cache build|info} with the golden ImageBind: the golden input images plus two
 * generated PNGs and a broken file; every image's own embedding (from {@code ibllm embed})
 * finds its own row first with similarity 1; an interrupted build resumes without re-embedding.
 */
class CacheCommandTest {
    @TempDir Path tmp;

    private static List<String> model() {
        return List.of("--imagebind", CliRun.golden("checkpoints/imagebind_w3D.safetensors").toString(),
                "--imagebind-config", CliRun.golden("config/golden_config.json").toString());
    }

    private Path images() throws IOException {
        Path dir = tmp.resolve("images");
        Files.createDirectories(dir.resolve("gen"));
        Files.copy(CliRun.golden("inputs/image_0.png"), dir.resolve("image_0.png"));
        Files.copy(CliRun.golden("inputs/image_1.jpg"), dir.resolve("image_1.jpg"));
        for (int k = 0; k < 2; k++) {
            BufferedImage im = new BufferedImage(97 + 50 * k, 131, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < im.getHeight(); y++) {
                for (int x = 0; x < im.getWidth(); x++) im.setRGB(x, y, k == 0 ? (x * 2) << 16 | (y * 3 % 256) : (x ^ y) * 0x010203);
            }
            ImageIO.write(im, "png", dir.resolve("gen/g" + k + ".png").toFile());
        }
        Files.writeString(dir.resolve("gen/broken.png"), "not a png");
        return dir;
    }

    private static CliRun build(Path images, Path out, String... extra) {
        List<String> args = new ArrayList<>(List.of("cache", "build"));
        args.addAll(model());
        args.addAll(List.of("--images", images.toString(), "--out", out.toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    @Test
    void everyImageIsItsOwnNearestNeighbour() throws IOException {
        Path images = images(), out = tmp.resolve("c.index");
        CliRun r = build(images, out, "--batch", "3");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("5/5 images") && r.err().contains("ETA"), r.err());
        assertTrue(r.err().contains("skipped gen/broken.png"), r.err());
        List<String> names = Files.readAllLines(Path.of(out + ".images.txt"));
        assertEquals(List.of("gen/g0.png", "gen/g1.png", "image_0.png", "image_1.jpg"), names);
        assertTrue(Files.readString(Path.of(out + ".skipped.txt")).startsWith("gen/broken.png\t"));

        CliRun info = CliRun.of("cache", "info", "--json", out.toString());
        assertEquals(0, info.exitCode(), info.err());
        Map<?, ?> m = (Map<?, ?>) Json.parse(info.out().strip());
        assertEquals(4, ((Number) m.get("count")).intValue());
        assertEquals(32, ((Number) m.get("dim")).intValue());
        assertEquals("inner_product", m.get("metric"));

        try (VisualCache cache = VisualCache.open(out)) {
            for (int row = 0; row < names.size(); row++) {
                Path e = tmp.resolve("e" + row + ".npy");
                List<String> args = new ArrayList<>(List.of("embed"));
                args.addAll(model());
                args.addAll(List.of("--image", images.resolve(names.get(row)).toString(), "--out", e.toString()));
                assertEquals(0, CliRun.of(args.toArray(String[]::new)).exitCode());
                float[] q = Npy.read(e).toFloatArray();
                VisualCache.Neighbours nb = cache.search(q, 2);
                assertEquals(row, nb.ids()[0], names.get(row));
                assertEquals(1f, nb.sims()[0], 1e-5f, names.get(row) + " similarity with itself");
                assertTrue(nb.sims()[1] < nb.sims()[0] - 1e-4f, "another image is not a duplicate: " + Arrays.toString(nb.sims()));
            }
        }
    }

    @Test
    void interruptedBuildResumesWithoutReembedding() throws IOException {
        Path dir = images(), list = dir.resolve("list.txt"), clean = tmp.resolve("clean.index"), out = tmp.resolve("c.index");
        Files.writeString(list, "gen/g1.png\ngen/broken.png\nimage_1.jpg\ngen/g0.png\n");
        assertEquals(0, build(list, clean, "--batch", "1").exitCode());
        CliRun stopped = build(list, out, "--batch", "1", "--stop-after", "2");
        assertEquals(1, stopped.exitCode());
        assertTrue(stopped.err().contains("stopped after 2 images"), stopped.err());
        assertTrue(Files.exists(Path.of(out + ".partial")) && !Files.exists(out));
        float[] kept = floats(Files.readAllBytes(Path.of(out + ".partial")), 0);
        List<String> keptNames = Files.readAllLines(Path.of(out + ".partial.txt"));
        assertEquals(List.of("gen/g1.png", "image_1.jpg"), keptNames);
        assertEquals(2 * 32, kept.length);

        CliRun resumed = build(list, out, "--batch", "1");
        assertEquals(0, resumed.exitCode(), resumed.err());
        assertTrue(resumed.err().contains("resumed: 2 images"), resumed.err());
        assertTrue(resumed.out().contains("3 images x 32 (inner product), 1 embedded now, 1 skipped"), resumed.out());
        // The rows embedded before the interruption are carried over bit for bit (not recomputed) ...
        List<String> names = Files.readAllLines(Path.of(out + ".images.txt"));
        assertEquals(List.of("gen/g1.png", "image_1.jpg", "gen/g0.png"), names);
        assertEquals(Files.readAllLines(Path.of(clean + ".images.txt")), names);
        float[] got = floats(Files.readAllBytes(out), 45), want = floats(Files.readAllBytes(clean), 45);
        assertArrayEquals(kept, Arrays.copyOf(got, 2 * 32));
        // ... and the whole cache equals an uninterrupted build (to float rounding: the JIT may reorder kernel sums).
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-5f, "value " + i);
        assertTrue(!Files.exists(Path.of(out + ".partial")) && !Files.exists(Path.of(out + ".partial.json")));
    }

    /** Little-endian float32 values of {@code bytes} from byte {@code offset} on (45 = a FAISS flat header). */
    private static float[] floats(byte[] bytes, int offset) {
        java.nio.FloatBuffer fb = java.nio.ByteBuffer.wrap(bytes, offset, bytes.length - offset).slice()
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] v = new float[fb.remaining()];
        fb.get(v);
        return v;
    }

    @Test
    void corruptCacheFileGivesOneLineError() throws IOException {
        byte[] index = Files.readAllBytes(CliRun.golden("checkpoints/knn.index"));
        Path cut = tmp.resolve("cut.index");
        Files.write(cut, Arrays.copyOf(index, index.length / 2));
        CliRun r = CliRun.of("cache", "info", cut.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("ibllm: " + cut), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
