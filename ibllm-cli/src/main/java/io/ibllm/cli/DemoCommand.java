package io.ibllm.cli;

import io.ibllm.api.CacheSettings;
import io.ibllm.api.ImageBindLLM;
import io.ibllm.api.Input;
import io.ibllm.api.ModelPaths;
import io.ibllm.api.Request;
import io.ibllm.api.Result;
import io.ibllm.api.Sampling;
import io.ibllm.api.Timings;
import io.ibllm.api.TokenListener;
import io.ibllm.bind.VisualCache;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code ibllm demo}: the whole pipeline on the small model and example media that ship with
 * the repository (testdata/golden), printing each stage: inputs and their embeddings, how alike
 * they are, the mixed query's cache neighbours, the streamed answer and the timings.
 */
@Command(name = "demo", description = {"Run the whole pipeline on the model and media shipped with ibllm and show each stage.",
        "The shipped model is the conformance-test model: its weights are random, so its answer is not meaningful text."})
public final class DemoCommand implements Callable<Integer> {
    static final String INSTRUCTION = "Describe what you perceive in these inputs.";

    @Spec CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", description = "The shipped model and media (default: testdata/golden of this checkout).")
    Path dir;

    @Option(names = "--max-tokens", defaultValue = "24", description = "Answer length (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Override
    public Integer call() {
        Path d = dir != null ? dir : DemoFiles.locate();
        PrintWriter out = spec.commandLine().getOut();
        out.println("ibllm demo: ImageBind-LLM end to end on the tiny model shipped in " + d);
        out.println("NOTE: this model's weights are RANDOM (it exists to test conformance with the reference code),");
        out.println("      so every stage runs for real but the answer is not meaningful text. Point chat or generate");
        out.println("      at the released checkpoints for real answers.");
        long t0 = System.nanoTime();
        try (ImageBindLLM model = ImageBindLLM.load(DemoFiles.model(d))) {
            double loadMs = ms(System.nanoTime() - t0);
            out.printf("%n1. Model loaded in %.0f ms: %s%n", loadMs, model.summary());
            List<Input> inputs = DemoFiles.inputs(d);
            List<float[]> embeddings = embed(model, inputs, out);
            similarities(inputs, embeddings, out);
            List<Input> mixed = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) mixed.add(Input.embedding(embeddings.get(i)).weight(inputs.get(i).weight()));
            Request request = Request.builder(INSTRUCTION).addAll(mixed).cache(CacheSettings.ON).sampling(Sampling.greedy(maxTokens)).build();
            out.printf("%n5. Answer to \"%s\" (greedy, cache on, at most %d tokens):%n   ", INSTRUCTION, maxTokens);
            out.flush();
            Result r = model.generate(request, new TokenListener() {
                @Override
                public void onToken(int id, String text) {
                    out.print(text.replace("\n", "\n   "));
                    out.flush();
                }

                @Override
                public void finish(String rest) { out.println(rest); }
            });
            neighbours(r.neighbours(), out);
            timings(loadMs, r.timings(), out);
        }
        return 0;
    }

    private static List<float[]> embed(ImageBindLLM model, List<Input> inputs, PrintWriter out) {
        out.println("\n2. Inputs, each embedded by its ImageBind tower (video, depth, thermal and IMU work the same way: see chat):");
        List<float[]> rows = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            long t = System.nanoTime();
            float[] e = model.embed(List.of(inputs.get(i))).getFirst();
            rows.add(e);
            out.printf("   [%d] %-40s %d-d embedding in %5.0f ms%n", i, describe(inputs.get(i)), e.length, ms(System.nanoTime() - t));
        }
        return rows;
    }

    /** The input without the demo folder's path. */
    private static String describe(Input in) {
        return in.file() == null ? in.describe() : in.describe().replace(in.file().toString(), "inputs/" + in.file().getFileName());
    }

    private static void similarities(List<Input> inputs, List<float[]> rows, PrintWriter out) {
        out.println("\n3. How alike the inputs are (cosine similarity of the embeddings; random weights: expect no pattern):");
        int dim = rows.getFirst().length;
        float[] all = new float[rows.size() * dim];
        List<String> names = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, all, i * dim, dim);
            names.add(inputs.get(i).kind().label());
        }
        Similarity.print(out, names, all, dim);
        out.print("\n4. The weighted mix (spec §5) is blended with its visual-cache neighbours (spec §4), then goes");
        out.println(" through the bind network into every adapted LLaMA layer.");
    }

    private static void neighbours(VisualCache.Neighbours nb, PrintWriter out) {
        out.println("\n   cache neighbours of the mixed inputs (id: inner product):");
        StringBuilder s = new StringBuilder("  ");
        for (int i = 0; i < nb.ids().length; i++) s.append(String.format("  %d: %.3f", nb.ids()[i], nb.sims()[i]));
        out.println(s);
    }

    private static void timings(double loadMs, Timings t, PrintWriter out) {
        out.println("\n6. Timings (this request; the embeddings were computed in stage 2):");
        out.printf("   load %.0f ms, mix + cache + bind network %.1f ms%n", loadMs, t.bindMs());
        out.printf("   prefill %d tokens in %.0f ms (%.0f tokens/s), decode %d tokens (%.0f tokens/s)%n", t.promptTokens(), t.prefillMs(),
                t.prefillTokensPerSecond(), t.tokens(), t.decodeTokensPerSecond());
    }

    private static double ms(long nanos) { return nanos / 1e6; }

    /** Where the shipped demo files are and which of them the demo uses. */
    static final class DemoFiles {
        private DemoFiles() {}

        /** testdata/golden of this checkout: the launcher's -Dibllm.home, the tests' ibllm.golden, or above the working folder. */
        static Path locate() {
            List<Path> tried = new ArrayList<>();
            String home = System.getProperty("ibllm.home");
            if (home != null) tried.add(Path.of(home, "testdata", "golden"));
            String golden = System.getProperty("ibllm.golden");
            if (golden != null) tried.add(Path.of(golden));
            for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) tried.add(p.resolve("testdata").resolve("golden"));
            for (Path p : tried) if (Files.isRegularFile(p.resolve("checkpoints/imagebind_llm_adapter.pth"))) return p;
            throw new IllegalArgumentException("demo files not found (looked for testdata/golden in " + tried.getFirst()
                    + " and above the working folder); run ./ibllm demo from a checkout or pass --dir");
        }

        static ModelPaths model(Path d) {
            return ModelPaths.of(d.resolve("checkpoints/llama/tiny"), d.resolve("checkpoints/llama/tokenizer.model"),
                            d.resolve("checkpoints/imagebind_llm_adapter.pth"))
                    .withImageBind(d.resolve("checkpoints/imagebind_w3D.pth"), d.resolve("config/golden_config.json"))
                    .withCache(d.resolve("checkpoints/knn.index"));
        }

        static List<Input> inputs(Path d) {
            return List.of(Input.image(d.resolve("inputs/image_0.png")), Input.image(d.resolve("inputs/image_1.jpg")).weight(0.5f),
                    Input.audio(d.resolve("inputs/audio_0.wav")).weight(0.5f),
                    Input.points(d.resolve("inputs/point_1.ply")).weight(0.3f), Input.text("a dog barking in the park").weight(0.2f));
        }
    }
}
