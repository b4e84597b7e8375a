package io.ibllm.cli;

import io.ibllm.model.ModelConverter;
import io.ibllm.model.ModelFiles;
import io.ibllm.tensor.DType;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ibllm convert}: the original model files into one GGUF that every command takes as --model. */
@Command(name = "convert", sortOptions = false,
        description = {"Write one GGUF holding the whole model: base LLaMA (in --type), adapter and bind network, ImageBind"
                + " and Point-BERT, both tokenizers and the configs (layout: docs/GGUF.md). Use it as --model FILE.gguf."})
public final class ConvertCommand implements Callable<Integer> {
    @Option(names = "--llama-dir", required = true, paramLabel = "DIR", description = "Folder holding params.json and consolidated.*.pth.")
    Path llamaDir;

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "LLaMA tokenizer.model.")
    Path tokenizer;

    @Option(names = "--adapter", required = true, paramLabel = "FILE", description = "ImageBind-LLM checkpoint (7B.pth or 7B-beta.pth).")
    Path adapter;

    @Option(names = "--imagebind", required = true, paramLabel = "FILE", description = "ImageBind checkpoint (imagebind_w3D.pth).")
    Path imagebind;

    @Option(names = "--imagebind-config", paramLabel = "FILE", description = "Model config JSON for a non-huge ImageBind.")
    Path imagebindConfig;

    @Option(names = "--type", defaultValue = "f16", paramLabel = "T",
            description = "Base LLaMA matrices: f32, f16, q8_0 or q4_0 (default ${DEFAULT-VALUE}); norms stay f32.")
    String type;

    @Option(names = "--encoder-type", defaultValue = "f32", paramLabel = "T",
            description = "ImageBind, Point-BERT and bind-network matrices: f32 or f16 (default ${DEFAULT-VALUE}).")
    String encoderType;

    @Option(names = "--cache-path", paramLabel = "FILE", description = "Record this visual cache (knn.index) as the model's default --cache.")
    Path cachePath;

    @Option(names = "--out", required = true, paramLabel = "FILE.gguf", description = "Output file (written atomically).")
    Path out;

    @Override
    public Integer call() {
        var inputs = new ModelFiles.Originals(llamaDir, tokenizer, adapter, imagebind, imagebindConfig);
        var options = new ModelConverter.Options(inputs, dtype("--type", type), dtype("--encoder-type", encoderType),
                cachePath == null ? null : cachePath.toAbsolutePath().toString(), out);
        ProgressBar bar = new ProgressBar(System.err);
        ModelConverter.convert(options, bar::update);
        bar.finish();
        System.err.println("wrote " + out);
        return 0;
    }

    static DType dtype(String option, String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "f32" -> DType.F32;
            case "f16" -> DType.F16;
            case "q8_0" -> DType.Q8_0;
            case "q4_0" -> DType.Q4_0;
            default -> throw new IllegalArgumentException(option + " must be f32, f16, q8_0 or q4_0, got '" + s + "'");
        };
    }

    /** One self-overwriting stderr line: bar, percent, bytes read, ETA; at most 5 updates a second. */
    static final class ProgressBar {
        private final PrintStream err;
        private final long start = System.nanoTime();
        private long lastPrint;
        private boolean printed;

        ProgressBar(PrintStream err) { this.err = err; }

        void update(String tensor, long done, long total) {
            long now = System.nanoTime();
            if (now - lastPrint < 200_000_000L && done < total) return;
            lastPrint = now;
            printed = true;
            double f = total == 0 ? 1 : (double) done / total;
            int width = 30, full = (int) (f * width);
            double secs = (now - start) / 1e9;
            long eta = f > 0 ? Math.round(secs / f - secs) : 0;
            err.printf(Locale.ROOT, "\r[%s%s] %3.0f%% %,d/%,d MB ETA %d:%02d  %-40.40s", "#".repeat(full), " ".repeat(width - full),
                    100 * f, done >> 20, total >> 20, eta / 60, eta % 60, tensor);
            err.flush();
        }

        void finish() {
            if (printed) err.println();
        }
    }
}
