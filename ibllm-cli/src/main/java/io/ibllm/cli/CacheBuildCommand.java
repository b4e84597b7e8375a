package io.ibllm.cli;

import io.ibllm.bind.CacheBuilder;
import io.ibllm.bind.CacheImages;
import io.ibllm.imagebind.ImageBindConfig;
import io.ibllm.imagebind.ImageBindModel;
import io.ibllm.imagebind.Modality;
import io.ibllm.io.Checkpoints;
import io.ibllm.io.TensorFile;
import io.ibllm.media.image.ImageLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ibllm cache build}: embeds a folder or list of images with ImageBind's vision tower into
 * a FAISS IndexFlatIP file of unit vectors (the postprocessed embeddings), resumable after an
 * interruption: a re-run with the same arguments embeds only the images not yet done.
 */
@Command(name = "build", sortOptions = false,
        description = {"Embed images into a visual cache: a FAISS IndexFlatIP file (faiss.read_index reads it),",
                "OUT.images.txt naming each row's image and OUT.skipped.txt listing unreadable images.",
                "Interrupted builds resume: run the same command again (progress is kept in OUT.partial*)."})
public final class CacheBuildCommand implements Callable<Integer> {
    @Option(names = "--imagebind", required = true, paramLabel = "FILE", description = "ImageBind checkpoint (imagebind_w3D.pth / imagebind_huge.pth).")
    Path checkpoint;

    @Option(names = "--imagebind-config", paramLabel = "FILE", description = "Model config JSON for a non-huge ImageBind.")
    Path config;

    @Option(names = "--images", required = true, paramLabel = "DIR|LIST.txt",
            description = "A folder (searched recursively for png, jpg, jpeg, bmp, gif, tif, tiff) or a list file, one path per line relative to the list's folder.")
    Path images;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The cache file to write (e.g. cache.index).")
    Path out;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "8", description = "Images embedded together (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--stop-after", hidden = true, defaultValue = "-1", description = "Test hook: abandon the build after N images, as an interruption would.")
    int stopAfter;

    @Override
    public Integer call() throws IOException {
        if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1, got " + batch);
        List<CacheImages.Image> list = CacheImages.of(images);
        ImageBindConfig cfg = config == null ? ImageBindConfig.defaults() : ImageBindConfig.read(config);
        PrintStream err = System.err;
        try (TensorFile file = Checkpoints.open(checkpoint)) {
            ImageBindModel model = ImageBindModel.load(file, cfg);
            ImageLoader loader = new ImageLoader();
            CacheBuilder builder = new CacheBuilder(loader::load, batchTensor -> model.embed(Modality.VISION, batchTensor).postnorm(),
                    batch, fingerprint(), listener(err)).stopAfter(stopAfter);
            CacheBuilder.Result r = builder.build(list, out);
            err.println();
            if (r.resumed() > 0) err.printf("resumed: %d images were already embedded by an earlier run%n", r.resumed());
            System.out.printf("%s: %d images x %d (inner product), %d embedded now, %d skipped%n", out, r.rows(), r.dim(), r.embedded(), r.skipped().size());
            if (!r.skipped().isEmpty()) System.out.println("skipped images are listed in " + CacheBuilder.sidecar(out, ".skipped.txt"));
        }
        return 0;
    }

    /** The model the embeddings come from: a progress file left by another model is refused. */
    private String fingerprint() throws IOException {
        Path abs = checkpoint.toAbsolutePath().normalize();
        String cfg = config == null ? "default" : config.toAbsolutePath().normalize() + "@" + Files.getLastModifiedTime(config).toMillis();
        return abs + " " + Files.size(abs) + " bytes @" + Files.getLastModifiedTime(abs).toMillis() + "; config " + cfg;
    }

    private static CacheBuilder.Listener listener(PrintStream err) {
        return new CacheBuilder.Listener() {
            @Override
            public void progress(int done, int total, int embeddedNow, long nanosNow) {
                double perImage = nanosNow / 1e9 / Math.max(embeddedNow, 1);
                err.printf("\r%s %d/%d images  %.2f img/s  ETA %s   ", ProgressBar.bar(done, total), done, total,
                        1 / perImage, ProgressBar.eta(perImage * (total - done)));
                err.flush();
            }

            @Override
            public void skipped(CacheImages.Image image, String reason) {
                err.printf("%nibllm: skipped %s: %s%n", image.name(), reason);
            }
        };
    }
}
