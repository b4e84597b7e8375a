package io.ibllm.bind;

import io.ibllm.io.AtomicFiles;
import io.ibllm.io.FaissIndex;
import io.ibllm.io.FormatException;
import io.ibllm.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Builds a visual cache: embeds images in batches and writes a FAISS IndexFlatIP file of the
 * embeddings (so faiss users can read it), with {@code OUT.images.txt} naming the image of each
 * row and {@code OUT.skipped.txt} listing the images that could not be read and why.
 *
 * <p>Resumable: every batch is appended to the progress files ({@link CacheProgress}) before the
 * next starts, so a re-run after an interruption embeds only the images not yet done. The output
 * is written atomically at the end, rows in the order of the image list.
 */
public final class CacheBuilder {
    /** Embeds a batch [B, ...] of loaded images into B rows of D values (row-major [B, D]). */
    @FunctionalInterface
    public interface Embedder { float[] embed(Tensor batch); }

    /** Progress reports (called on the building thread). */
    public interface Listener {
        /** After each batch: images done (embedded or skipped) of total, how many were embedded in this run and in how long. */
        default void progress(int done, int total, int embeddedNow, long nanosNow) {}

        default void skipped(CacheImages.Image image, String reason) {}
    }

    /** What a build did: rows written, dimension, images found done, embedded now, skipped. */
    public record Result(int rows, int dim, int resumed, int embedded, List<String> skipped) {}

    private final Function<Path, Tensor> loader;
    private final Embedder embedder;
    private final int batch;
    private final String fingerprint;
    private final Listener listener;
    private int stopAfter = -1;

    /**
     * @param fingerprint identifies the model; a progress file left by another model is refused
     */
    public CacheBuilder(Function<Path, Tensor> loader, Embedder embedder, int batch, String fingerprint, Listener listener) {
        if (batch < 1) throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        this.loader = loader;
        this.embedder = embedder;
        this.batch = batch;
        this.fingerprint = fingerprint;
        this.listener = listener;
    }

    /** Test hook: abandon the build (as an interruption would) once this many images were embedded in this run. */
    public CacheBuilder stopAfter(int images) {
        this.stopAfter = images;
        return this;
    }

    public Result build(List<CacheImages.Image> images, Path out) {
        List<String> skipped = new ArrayList<>();
        int embedded;
        int resumed;
        try (CacheProgress progress = CacheProgress.open(out, fingerprint)) {
            List<CacheImages.Image> todo = images.stream().filter(im -> progress.row(im.name()) < 0).toList();
            resumed = images.size() - todo.size();
            embedded = embedAll(todo, images.size(), resumed, progress, skipped);
            writeSkipped(out, skipped);
            if (progress.count() == 0 || progress.dim() == 0) {
                throw new FormatException(out, "no image could be read (" + skipped.size() + " skipped, listed in " + out.getFileName() + ".skipped.txt)");
            }
            int rows = writeOutput(images, out, progress);
            progress.delete();
            return new Result(rows, progress.dim(), resumed, embedded, List.copyOf(skipped));
        }
    }

    private int embedAll(List<CacheImages.Image> todo, int total, int resumed, CacheProgress progress, List<String> skipped) {
        long t0 = System.nanoTime();
        int embedded = 0;
        List<String> names = new ArrayList<>();
        List<float[]> pixels = new ArrayList<>();
        long[] shape = null;
        for (int i = 0; i < todo.size(); i++) {
            CacheImages.Image im = todo.get(i);
            try {
                Tensor t = loader.apply(im.file());
                if (shape == null) shape = t.shape();
                else if (!Arrays.equals(shape, t.shape())) throw new IllegalArgumentException("loaded as " + t.shapeString() + ", not " + Arrays.toString(shape));
                pixels.add(t.toFloatArray());
                names.add(im.name());
            } catch (RuntimeException e) {
                String reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
                skipped.add(im.name() + "\t" + reason);
                listener.skipped(im, reason);
            }
            if (pixels.size() == batch || (i == todo.size() - 1 && !pixels.isEmpty())) {
                embedBatch(names, pixels, shape, progress);
                embedded += names.size();
                names.clear();
                pixels.clear();
                listener.progress(resumed + embedded + skipped.size(), total, embedded, System.nanoTime() - t0);
                if (stopAfter >= 0 && embedded >= stopAfter) throw new IllegalStateException("build stopped after " + embedded + " images (test hook)");
            }
        }
        return embedded;
    }

    private void embedBatch(List<String> names, List<float[]> pixels, long[] shape, CacheProgress progress) {
        int per = pixels.getFirst().length;
        float[] all = new float[pixels.size() * per];
        for (int b = 0; b < pixels.size(); b++) System.arraycopy(pixels.get(b), 0, all, b * per, per);
        long[] s = new long[shape.length + 1];
        s[0] = pixels.size();
        System.arraycopy(shape, 0, s, 1, shape.length);
        float[] e = embedder.embed(Tensor.f32(all, s));
        if (e.length == 0 || e.length % names.size() != 0) throw new IllegalStateException("embedder returned " + e.length + " values for " + names.size() + " images");
        progress.append(names, e, e.length / names.size());
    }

    /** OUT.images.txt, then OUT itself: rows in the order of the list, each written atomically. */
    private static int writeOutput(List<CacheImages.Image> images, Path out, CacheProgress progress) {
        List<String> names = new ArrayList<>();
        List<Integer> rows = new ArrayList<>();
        for (CacheImages.Image im : images) {
            int r = progress.row(im.name());
            if (r >= 0) {
                names.add(im.name());
                rows.add(r);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String n : names) sb.append(n).append('\n');
        AtomicFiles.write(sidecar(out, ".images.txt"), o -> o.write(sb.toString().getBytes(StandardCharsets.UTF_8)));
        FaissIndex.write(out, progress.dim(), rows.size(), FaissIndex.Metric.INNER_PRODUCT, i -> progress.read(rows.get((int) i)));
        return rows.size();
    }

    private static void writeSkipped(Path out, List<String> skipped) {
        Path file = sidecar(out, ".skipped.txt");
        if (skipped.isEmpty()) {
            try {
                Files.deleteIfExists(file);   // a stale list from an earlier run
            } catch (java.io.IOException e) {
                throw new FormatException(file, "cannot remove: " + e.getMessage());
            }
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (String s : skipped) sb.append(s).append('\n');
        AtomicFiles.write(file, o -> o.write(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /** OUT + suffix (OUT.images.txt, OUT.skipped.txt). */
    public static Path sidecar(Path out, String suffix) { return CacheProgress.sidecar(out, suffix); }
}
