package io.ibllm.bind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.FormatException;
import io.ibllm.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cache building with a stand-in loader (a text file of numbers is an "image") and embedder
 * (normalises the numbers), so the resume logic is checked exactly: which images get embedded,
 * how often, and that the output equals an uninterrupted build byte for byte.
 */
class CacheBuilderTest {
    @TempDir Path dir;
    final AtomicInteger embedded = new AtomicInteger();
    final List<Integer> batchSizes = new ArrayList<>();

    static Tensor load(Path file) {
        try {
            String[] parts = Files.readString(file).trim().split(" ");
            float[] v = new float[parts.length];
            for (int i = 0; i < v.length; i++) v[i] = Float.parseFloat(parts[i]);
            return Tensor.f32(v, v.length);
        } catch (IOException | NumberFormatException e) {
            throw new FormatException(file, "not an image: " + e.getMessage());
        }
    }

    float[] embed(Tensor batch) {
        int b = (int) batch.dim(0), d = (int) batch.dim(1);
        float[] x = batch.toFloatArray();
        for (int r = 0; r < b; r++) {
            double ss = 0;
            for (int i = 0; i < d; i++) ss += x[r * d + i] * x[r * d + i];
            for (int i = 0; i < d; i++) x[r * d + i] /= (float) Math.sqrt(ss);
        }
        embedded.addAndGet(b);
        batchSizes.add(b);
        return x;
    }

    CacheBuilder builder(int batch) {
        return new CacheBuilder(CacheBuilderTest::load, this::embed, batch, "model-A", new CacheBuilder.Listener() {});
    }

    /** Nine images in a nested folder (distinct directions), one unreadable, one non-image file. */
    Path images() throws IOException {
        Path src = dir.resolve("imgs");
        Files.createDirectories(src.resolve("sub"));
        for (int i = 0; i < 9; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < 5; j++) sb.append(j == i % 5 ? 3 + i : (i * 7 + j) % 3).append(' ');
            Files.writeString(src.resolve((i % 2 == 0 ? "" : "sub/") + "im" + i + ".png"), sb.toString());
        }
        Files.writeString(src.resolve("broken.jpg"), "garbage");
        Files.writeString(src.resolve("notes.txt"), "1 2 3 4 5");
        return src;
    }

    @Test
    void buildsACacheWhereEveryImageIsItsOwnNearestNeighbour() throws IOException {
        Path out = dir.resolve("new/folder/c.index");   // created on demand
        List<CacheImages.Image> list = CacheImages.of(images());
        assertEquals(10, list.size(), "9 images + the broken one; notes.txt is not an image");
        CacheBuilder.Result r = builder(4).build(list, out);
        assertEquals(9, r.rows());
        assertEquals(9, r.embedded());
        assertEquals(List.of(4, 4, 1), batchSizes, "batches of 4; the broken image leaves room for the next one");
        assertEquals(1, r.skipped().size());
        assertTrue(Files.readString(CacheBuilder.sidecar(out, ".skipped.txt")).startsWith("broken.jpg\t"));
        List<String> names = Files.readAllLines(CacheBuilder.sidecar(out, ".images.txt"));
        assertEquals(9, names.size());
        assertFalse(Files.exists(CacheProgress.sidecar(out, ".partial")), "progress files are removed when done");
        try (VisualCache c = VisualCache.open(out)) {
            for (int row = 0; row < names.size(); row++) {
                float[] q = embed(load(dir.resolve("imgs").resolve(names.get(row))).reshape(1, 5));
                VisualCache.Neighbours nb = c.search(q, 2);
                assertEquals(row, nb.ids()[0], names.get(row));
                assertEquals(1f, nb.sims()[0], 1e-6f);
                assertTrue(nb.sims()[1] < 0.999f, "distinct images");
            }
        }
    }

    @Test
    void interruptedBuildResumesWithoutRecomputing() throws IOException {
        Path src = images();
        List<CacheImages.Image> list = CacheImages.of(src);
        Path clean = dir.resolve("clean.index");
        builder(2).build(list, clean);

        Path out = dir.resolve("c.index");
        embedded.set(0);
        assertThrows(IllegalStateException.class, () -> builder(2).stopAfter(3).build(list, out));
        assertEquals(4, embedded.get(), "two batches of two before the stop");
        assertFalse(Files.exists(out));
        // A torn write after the last durable batch: half a row and half a name.
        Files.write(CacheProgress.sidecar(out, ".partial"), new byte[7], StandardOpenOption.APPEND);
        Files.writeString(CacheProgress.sidecar(out, ".partial.txt"), "sub/im", StandardOpenOption.APPEND);

        embedded.set(0);
        CacheBuilder.Result r = builder(2).build(list, out);
        assertEquals(4, r.resumed());
        assertEquals(5, r.embedded());
        assertEquals(5, embedded.get(), "only the images not done before are embedded");
        assertArrayEquals(Files.readAllBytes(clean), Files.readAllBytes(out), "same file as an uninterrupted build");
        assertEquals(Files.readString(CacheBuilder.sidecar(clean, ".images.txt")), Files.readString(CacheBuilder.sidecar(out, ".images.txt")));
    }

    @Test
    void progressFromAnotherModelIsRefused() throws IOException {
        List<CacheImages.Image> list = CacheImages.of(images());
        Path out = dir.resolve("c.index");
        assertThrows(IllegalStateException.class, () -> builder(1).stopAfter(1).build(list, out));
        CacheBuilder other = new CacheBuilder(CacheBuilderTest::load, this::embed, 1, "model-B", new CacheBuilder.Listener() {});
        FormatException e = assertThrows(FormatException.class, () -> other.build(list, out));
        assertTrue(e.getMessage().contains("another model") && e.getMessage().contains("model-A"), e.getMessage());
    }

    @Test
    void listFileIsRelativeToItsFolderAndAllBadIsAnError() throws IOException {
        Path src = images();
        Path list = src.resolve("list.txt");
        Files.writeString(list, "# two images\nim0.png\n\nsub/im1.png\nim0.png\n", StandardCharsets.UTF_8);
        List<CacheImages.Image> images = CacheImages.of(list);
        assertEquals(List.of("im0.png", "sub/im1.png"), images.stream().map(CacheImages.Image::name).toList());
        assertEquals(src.resolve("sub/im1.png").toAbsolutePath(), images.get(1).file());

        Files.writeString(list, "broken.jpg\nmissing.png\n");
        Path out = dir.resolve("bad.index");
        FormatException e = assertThrows(FormatException.class, () -> builder(2).build(CacheImages.of(list), out));
        assertTrue(e.getMessage().contains("no image could be read (2 skipped"), e.getMessage());
        assertEquals(2, Files.readAllLines(CacheBuilder.sidecar(out, ".skipped.txt")).size());
        assertFalse(Files.exists(out));
    }
}
