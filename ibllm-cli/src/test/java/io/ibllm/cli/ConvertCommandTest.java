package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.Gguf;
import io.ibllm.io.Json;
import io.ibllm.io.Npy;
import io.ibllm.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ibllm convert} round trips on the golden tiny model: answers and embeddings from the GGUF
 * equal those from the original files; quantised conversions stay near the golden logits.
 */
class ConvertCommandTest {
    @TempDir
    Path tmp;

    static String g(String rel) { return CliRun.golden(rel).toString(); }

    /** Conversions shared by the tests (each takes seconds): one per type pair, converted once. */
    @TempDir
    static Path shared;
    private static final Map<String, Path> CONVERTED = new java.util.HashMap<>();

    private static synchronized Path convert(String type, String encoderType) {
        return CONVERTED.computeIfAbsent(type + "-" + encoderType, k -> convertNow(type, encoderType));
    }

    private static Path convertNow(String type, String encoderType) {
        Path out = shared.resolve("model-" + type + "-" + encoderType + ".gguf");
        CliRun r = CliRun.of("convert", "--llama-dir", g("checkpoints/llama/tiny"), "--tokenizer", g("checkpoints/llama/tokenizer.model"),
                "--adapter", g("checkpoints/imagebind_llm_adapter.pth"), "--imagebind", g("checkpoints/imagebind_w3D.pth"),
                "--imagebind-config", g("config/golden_config.json"), "--type", type, "--encoder-type", encoderType,
                "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        return out;
    }

    /** generate --model FILE --bind-input (golden no-cache input) --json, with the step logits saved. */
    private Map<?, ?> generate(Path model, Path logits) throws IOException {
        CliRun r = CliRun.of("generate", "--model", model.toString(), "--prompt", (String) GenerateCommandTest.llmGolden().get("instruction"),
                "--temperature", "0", "--max-tokens", "16", "--bind-input", g("outputs/llm/mixed_noknn_bind_input.npy"),
                "--save-logits", logits.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        return (Map<?, ?>) Json.parse(r.out().strip());
    }

    private static long[] longs(Object jsonList) {
        return ((List<?>) jsonList).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
    }

    private static long[] goldenIds() { return Npy.read(CliRun.golden("outputs/llm/generate_noknn_ids.npy")).toLongArray(); }

    /** Largest |a − b| over the first {@code n} values. */
    private static float maxAbsDiff(float[] a, float[] b, int n) {
        float m = 0;
        for (int i = 0; i < n; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    @Test
    void f32AndF16ConversionsGiveTheGoldenAnswer() throws IOException {
        float[] golden = Npy.read(CliRun.golden("outputs/llm/generate_noknn_step_logits.npy")).toFloatArray();
        for (String type : List.of("f32", "f16")) {
            Path model = convert(type, "f32");
            Path logits = tmp.resolve("logits-" + type + ".npy");
            Map<?, ?> out = generate(model, logits);
            assertArrayEquals(goldenIds(), longs(out.get("ids")), type + " ids");
            assertEquals(((Map<?, ?>) GenerateCommandTest.llmGolden().get("generate_noknn")).get("text"), out.get("text"), type);
            float[] got = Npy.read(logits).toFloatArray();
            float d = maxAbsDiff(golden, got, golden.length);
            assertTrue(d <= (type.equals("f32") ? 1e-3f : 5e-2f), type + " step logits off by " + d);
        }
    }

    /** The cache path recorded at conversion is the default --cache of inputs; --no-cache turns it off. */
    @Test
    void recordedCacheIsUsedForInputs() throws IOException {
        Path model = tmp.resolve("cached.gguf");
        CliRun c = CliRun.of("convert", "--llama-dir", g("checkpoints/llama/tiny"), "--tokenizer", g("checkpoints/llama/tokenizer.model"),
                "--adapter", g("checkpoints/imagebind_llm_adapter.pth"), "--imagebind", g("checkpoints/imagebind_w3D.pth"),
                "--imagebind-config", g("config/golden_config.json"), "--type", "f32", "--cache-path", g("checkpoints/knn_vectors.npy"),
                "--out", model.toString());
        assertEquals(0, c.exitCode(), c.err());
        List<String> args = new ArrayList<>(List.of("generate", "--model", model.toString(), "--prompt",
                (String) GenerateCommandTest.llmGolden().get("instruction"), "--temperature", "0", "--max-tokens", "16",
                "--embedding", g("outputs/llm/mixed_noknn_bind_input.npy"), "--json"));
        long[] recorded = ids(args);
        List<String> explicit = new ArrayList<>(args);
        explicit.addAll(List.of("--cache", g("checkpoints/knn_vectors.npy")));
        assertArrayEquals(ids(explicit), recorded, "the recorded cache is the explicit --cache");
        args.add("--no-cache");
        assertFalse(Arrays.equals(ids(args), recorded), "--no-cache answers without the cache blend");
    }

    /** A GGUF whose recorded cache file is gone: --no-cache answers; without it, one line naming the file. */
    @Test
    void missingRecordedCacheIsNotNeededWithNoCache() throws IOException {
        Path vectors = tmp.resolve("vectors.npy");
        java.nio.file.Files.copy(Path.of(g("checkpoints/knn_vectors.npy")), vectors);
        Path model = tmp.resolve("gone.gguf");
        CliRun c = CliRun.of("convert", "--llama-dir", g("checkpoints/llama/tiny"), "--tokenizer", g("checkpoints/llama/tokenizer.model"),
                "--adapter", g("checkpoints/imagebind_llm_adapter.pth"), "--imagebind", g("checkpoints/imagebind_w3D.pth"),
                "--imagebind-config", g("config/golden_config.json"), "--type", "f32", "--cache-path", vectors.toString(),
                "--out", model.toString());
        assertEquals(0, c.exitCode(), c.err());
        java.nio.file.Files.delete(vectors);
        List<String> args = new ArrayList<>(List.of("generate", "--model", model.toString(), "--prompt",
                (String) GenerateCommandTest.llmGolden().get("instruction"), "--temperature", "0", "--max-tokens", "16",
                "--embedding", g("outputs/llm/mixed_noknn_bind_input.npy"), "--json"));
        CliRun failed = CliRun.of(args.toArray(String[]::new));
        assertEquals(1, failed.exitCode());
        assertTrue(failed.err().contains("vectors.npy") && failed.err().strip().lines().count() == 1, failed.err());
        args.add("--no-cache");
        assertEquals(16, ids(args).length, "answers without the missing cache");
    }

    private static long[] ids(List<String> args) {
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        return longs(((Map<?, ?>) Json.parse(r.out().strip())).get("ids"));
    }

    /** train --model: stage 2 from the f32 GGUF makes the reference's first optimizer step. */
    @Test
    void trainFromTheGgufMatchesTheReferenceStep() throws IOException {
        Path data = tmp.resolve("finetune_meta.json");
        Files.writeString(data, Files.readString(CliRun.golden("train/finetune_meta.json")).replace("inputs/", CliRun.golden("inputs") + "/"));
        Path out = tmp.resolve("run");
        CliRun r = CliRun.of("train", "--stage", "finetune", "--model", convert("f32", "f32").toString(),
                "--init", g("checkpoints/imagebind_llm_adapter.pth"), "--data", data.toString(), "--out", out.toString(),
                "--batch-size", "2", "--no-augment", "--no-shuffle", "--reference-quirks", "--schedule", "constant", "--warmup-epochs", "0",
                "--lr", "6.25e-5", "--weight-decay", "0.02", "--max-words", "512", "--steps", "1");
        assertEquals(0, r.exitCode(), r.err());
        try (var got = io.ibllm.io.Safetensors.open(out.resolve("adapter.safetensors"));
             var start = io.ibllm.io.Safetensors.open(CliRun.golden("checkpoints/imagebind_llm_adapter.safetensors"));
             var ref = io.ibllm.io.Safetensors.open(CliRun.golden("train/stage2/params_step1.safetensors"));
             var grads = io.ibllm.io.Safetensors.open(CliRun.golden("train/stage2/grads_step1.safetensors"))) {
            for (String k : ref.names()) {
                TrainCommandTest.assertUpdate(start.get(k).toFloatArray(), ref.get(k).toFloatArray(), got.get(k).toFloatArray(),
                        grads.get(k).toFloatArray(), k);
            }
        }
    }

    @Test
    void storedTypesFollowTheDocumentedPlan() {
        Path model = convert("q4_0", "f16");
        try (Gguf g = Gguf.open(model)) {
            assertEquals(DType.Q4_0, g.get("llama.layers.0.attention.wq.weight").dtype());
            assertEquals(DType.Q8_0, g.get("llama.tok_embeddings.weight").dtype());
            assertEquals(DType.Q8_0, g.get("llama.output.weight").dtype());
            assertEquals(DType.F32, g.get("llama.layers.0.attention_norm.weight").dtype());
            assertEquals(DType.F16, g.get("adapter.image_bind_proj.weight").dtype(), "bind network in --encoder-type");
            assertEquals(DType.F32, g.get("adapter.image_bind_proj.bias").dtype());
            assertEquals(DType.F32, g.get("adapter.prefix_query.weight").dtype(), "the rest of the adapter stays f32");
            assertTrue(g.names().stream().filter(n -> n.startsWith("imagebind.")).anyMatch(n -> g.get(n).dtype() == DType.F16));
            assertTrue(g.names().stream().filter(n -> n.startsWith("imagebind.") && g.get(n).rank() < 2).allMatch(n -> !g.get(n).dtype().isFloating()
                    || g.get(n).dtype() == DType.F32));
            assertEquals("q4_0", g.meta("ibllm.llama.type").asString());
        }
    }

    /**
     * Quantised bases: the first step's logits depend only on the prompt, so their error against
     * the golden logits measures the quantisation alone (later steps may follow other tokens).
     */
    @Test
    void quantisedConversionsStayNearTheGoldenLogits() throws IOException {
        float[] golden = Npy.read(CliRun.golden("outputs/llm/generate_noknn_step_logits.npy")).toFloatArray();
        int vocab = (int) Npy.read(CliRun.golden("outputs/llm/generate_noknn_step_logits.npy")).dim(1);
        float scale = 0;
        for (int i = 0; i < vocab; i++) scale = Math.max(scale, Math.abs(golden[i]));
        for (String type : List.of("q8_0", "q4_0")) {
            Path logits = tmp.resolve("logits-" + type + ".npy");
            Map<?, ?> out = generate(convert(type, "f32"), logits);
            float d = maxAbsDiff(golden, Npy.read(logits).toFloatArray(), vocab);
            long[] ids = longs(out.get("ids"));
            int same = 0;
            while (same < Math.min(ids.length, goldenIds().length) && ids[same] == goldenIds()[same]) same++;
            System.out.printf("%s: first-step max |logit error| %.4g (golden logits up to %.3g); %d/%d greedy ids equal%n",
                    type, d, scale, same, goldenIds().length);
            // q8_0 keeps ~8 bits a weight, q4_0 ~4: bounds are loose fractions of the logit range, far below a broken quantiser
            assertTrue(d <= (type.equals("q8_0") ? 0.02f : 0.25f) * scale, type + " first-step logits off by " + d);
        }
    }

    @Test
    void embedFromTheGgufEqualsEmbedFromTheCheckpoint() {
        Path model = convert("q8_0", "f32");
        Path a = tmp.resolve("a.npy"), b = tmp.resolve("b.npy");
        String[] inputs = {"--image", g("preprocess/vision.npy"), "--text", "a photo of a dog", "--points", g("inputs/point_0.npy"),
                "--audio", g("preprocess/audio.npy"), "--fps-start", "628"};
        List<String> orig = new ArrayList<>(List.of("embed", "--imagebind", g("checkpoints/imagebind_w3D.pth"),
                "--imagebind-config", g("config/golden_config.json"), "--out", a.toString()));
        orig.addAll(Arrays.asList(inputs));
        List<String> conv = new ArrayList<>(List.of("embed", "--model", model.toString(), "--out", b.toString()));
        conv.addAll(Arrays.asList(inputs));
        assertEquals(0, CliRun.of(orig.toArray(String[]::new)).exitCode());
        CliRun r = CliRun.of(conv.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        // the same f32 weights; 1e-5 because the towers are not bit-reproducible run to run (parallel
        // summation order: two runs of the original audio embedding differ by ~3e-6)
        float same = maxAbsDiff(Npy.read(a).toFloatArray(), Npy.read(b).toFloatArray(), (int) Npy.read(a).numel());
        assertTrue(same <= 1e-5f, "f32 encoder embeddings off by " + same);

        Path f16 = convert("q4_0", "f16");
        Path c = tmp.resolve("c.npy");
        conv.set(2, f16.toString());
        conv.set(4, c.toString());
        assertEquals(0, CliRun.of(conv.toArray(String[]::new)).exitCode());
        float d = maxAbsDiff(Npy.read(a).toFloatArray(), Npy.read(c).toFloatArray(), (int) Npy.read(a).numel());
        System.out.printf("f16 encoders: max |embedding error| %.3g (unit-norm rows)%n", d);
        assertTrue(d < 1e-2f, "f16 encoder embeddings off by " + d);
    }

    @Test
    void corruptTruncatedOrForeignGgufIsAOneLineError() throws IOException {
        Path model = convert("f16", "f32");
        byte[] all = Files.readAllBytes(model);
        Path truncated = tmp.resolve("truncated.gguf");
        Files.write(truncated, Arrays.copyOf(all, all.length / 2));
        Path headerOnly = tmp.resolve("header.gguf");
        Files.write(headerOnly, Arrays.copyOf(all, 100));
        Path notGguf = tmp.resolve("junk.gguf");
        Files.write(notGguf, "not a model at all".getBytes());
        Path foreign = tmp.resolve("foreign.gguf");
        io.ibllm.io.GgufWriter.write(foreign, Map.of("general.architecture", io.ibllm.io.GgufValue.string("llama")),
                Map.of("x", io.ibllm.tensor.Tensor.f32(new float[] {1, 2}, 2)));
        for (Path p : List.of(truncated, headerOnly, notGguf, foreign)) {
            CliRun r = CliRun.of("generate", "--model", p.toString(), "--prompt", "hi", "--max-tokens", "2");
            assertEquals(1, r.exitCode(), p + ": " + r.out());
            assertTrue(r.err().startsWith("ibllm: ") && r.err().strip().lines().count() == 1 && r.err().contains(p.getFileName().toString()),
                    p + ": " + r.err());
        }
        CliRun both = CliRun.of("generate", "--model", model.toString(), "--tokenizer", g("checkpoints/llama/tokenizer.model"), "--prompt", "hi");
        assertEquals(1, both.exitCode());
        assertTrue(both.err().contains("--tokenizer"), both.err());
        CliRun neither = CliRun.of("generate", "--prompt", "hi");
        assertEquals(1, neither.exitCode());
        assertTrue(neither.err().contains("--model"), neither.err());
    }

    @Test
    void failedConversionLeavesNoFile() throws IOException {
        Path out = tmp.resolve("out.gguf");
        CliRun r = CliRun.of("convert", "--llama-dir", g("checkpoints/llama/tiny"), "--tokenizer", g("checkpoints/llama/tokenizer.model"),
                "--adapter", tmp.resolve("missing.pth").toString(), "--imagebind", g("checkpoints/imagebind_w3D.pth"),
                "--imagebind-config", g("config/golden_config.json"), "--out", out.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("missing.pth"), r.err());
        // a bad tokenizer.model is found before writing; nothing (not even a temp file) is left
        Path wrongTokenizer = tmp.resolve("tokenizer.model");
        Files.write(wrongTokenizer, new byte[] {1, 2, 3});
        CliRun r2 = CliRun.of("convert", "--llama-dir", g("checkpoints/llama/tiny"), "--tokenizer", wrongTokenizer.toString(),
                "--adapter", g("checkpoints/imagebind_llm_adapter.pth"), "--imagebind", g("checkpoints/imagebind_w3D.pth"),
                "--imagebind-config", g("config/golden_config.json"), "--out", out.toString());
        assertEquals(1, r2.exitCode());
        assertTrue(r2.err().contains("tokenizer.model"), r2.err());
        assertFalse(Files.exists(out));
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }
}
