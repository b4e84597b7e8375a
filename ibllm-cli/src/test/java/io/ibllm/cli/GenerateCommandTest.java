package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.Json;
import io.ibllm.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ibllm generate} end to end on the golden tiny model: greedy ids exact, step logits 1e-3. */
class GenerateCommandTest {
    @TempDir
    Path tmp;

    static String g(String rel) { return CliRun.golden(rel).toString(); }

    static Map<?, ?> llmGolden() throws IOException {
        return (Map<?, ?>) ((Map<?, ?>) Json.parse(Files.readString(CliRun.golden("golden.json")))).get("llm");
    }

    private List<String> baseArgs() throws IOException {
        return new ArrayList<>(List.of("generate", "--llama-dir", g("checkpoints/llama/tiny"),
                "--tokenizer", g("checkpoints/llama/tokenizer.model"), "--adapter", g("checkpoints/imagebind_llm_adapter.pth"),
                "--prompt", (String) llmGolden().get("instruction"), "--temperature", "0", "--max-tokens", "16"));
    }

    private static long[] longs(Object jsonList) {
        return ((List<?>) jsonList).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
    }

    private Map<?, ?> runJson(List<String> args) {
        args.add("--json");
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        return (Map<?, ?>) Json.parse(r.out().strip());
    }

    private static float maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    @Test
    void bindInputWithoutCacheGivesGoldenIdsAndStepLogits() throws IOException {
        List<String> args = baseArgs();
        Path logits = tmp.resolve("logits.npy");
        args.addAll(List.of("--bind-input", g("outputs/llm/mixed_noknn_bind_input.npy"), "--save-logits", logits.toString()));
        Map<?, ?> out = runJson(args);
        assertArrayEquals(longs(llmGolden().get("prompt_ids")), longs(out.get("prompt_ids")), "prompt ids");
        assertArrayEquals(Npy.read(CliRun.golden("outputs/llm/generate_noknn_ids.npy")).toLongArray(), longs(out.get("ids")));
        assertEquals(((Map<?, ?>) llmGolden().get("generate_noknn")).get("text"), out.get("text"));
        float d = maxAbsDiff(Npy.read(CliRun.golden("outputs/llm/generate_noknn_step_logits.npy")).toFloatArray(),
                Npy.read(logits).toFloatArray());
        assertTrue(d <= 1e-3f, "step logits off by " + d);
    }

    @Test
    void bindInputAfterCacheGivesGoldenIds() throws IOException {
        List<String> args = baseArgs();
        args.addAll(List.of("--bind-input", g("outputs/llm/mixed_knn_bind_input.npy")));
        assertArrayEquals(Npy.read(CliRun.golden("outputs/llm/generate_knn_ids.npy")).toLongArray(), longs(runJson(args).get("ids")));
    }

    /** The five ImageBind embeddings of golden.json llm.mixed_inputs as [1, D] rows, in dict order. */
    private List<String> embeddingArgs() {
        String[][] files = {{"vision_postnorm.npy", "0"}, {"video_postnorm.npy", "0"}, {"audio_postnorm.npy", "0"},
                {"point_postnorm.npy", "0"}, {"text_postnorm.npy", "0"}};
        List<String> args = new ArrayList<>();
        for (String[] f : files) {
            float[] all = Npy.read(CliRun.golden("outputs/imagebind/" + f[0])).toFloatArray();
            Path row = tmp.resolve("emb_" + f[0]);
            Npy.writeF32(row, Arrays.copyOf(all, 32), 1, 32);
            args.addAll(List.of("--embedding", row.toString()));
        }
        args.addAll(List.of("--weights", "1,0.8,0.5,0.3,0.2"));
        return args;
    }

    @Test
    void mixedEmbeddingsWithAndWithoutTheCache() throws IOException {
        List<String> noCache = baseArgs();
        noCache.addAll(embeddingArgs());
        assertArrayEquals(Npy.read(CliRun.golden("outputs/llm/generate_noknn_ids.npy")).toLongArray(), longs(runJson(noCache).get("ids")));
        List<String> withCache = baseArgs();
        withCache.addAll(embeddingArgs());
        withCache.addAll(List.of("--cache", g("checkpoints/knn.index")));
        assertArrayEquals(Npy.read(CliRun.golden("outputs/llm/generate_knn_ids.npy")).toLongArray(), longs(runJson(withCache).get("ids")));
        List<String> withIndex = baseArgs();   // the reference's format: a mapped FAISS IndexFlatIP
        withIndex.addAll(embeddingArgs());
        withIndex.addAll(List.of("--cache", g("checkpoints/knn.index"), "--cache-size", "10", "--cache-t", "20", "--cache-weight", "0.5"));
        assertArrayEquals(Npy.read(CliRun.golden("outputs/llm/generate_knn_ids.npy")).toLongArray(), longs(runJson(withIndex).get("ids")));
    }

    @Test
    void streamsTheSameTextWithoutJson() throws IOException {
        List<String> args = baseArgs();
        args.addAll(List.of("--bind-input", g("outputs/llm/mixed_noknn_bind_input.npy")));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(((Map<?, ?>) llmGolden().get("generate_noknn")).get("text") + "\n", r.out());
    }

    @Test
    void samplingIsReproducibleFromTheSeed() throws IOException {
        List<Object> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            List<String> args = baseArgs();
            args.removeAll(List.of("--temperature", "0"));
            args.addAll(List.of("--temperature", "1.5", "--top-p", "0.95", "--seed", "11",
                    "--bind-input", g("outputs/llm/mixed_noknn_bind_input.npy")));
            runs.add(runJson(args).get("ids"));
        }
        assertEquals(runs.get(0), runs.get(1));
        assertTrue(!((List<?>) runs.get(0)).isEmpty());
    }

    @Test
    void badInputsAreOneLineErrors() throws IOException {
        List<String> args = baseArgs();
        args.addAll(List.of("--embedding", g("outputs/llm/mixed_noknn_bind_input.npy"), "--weights", "1,2"));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("ibllm: --weights gives 2 weights for 1 inputs"), r.err());

        List<String> wrongDim = baseArgs();
        wrongDim.addAll(List.of("--bind-input", g("outputs/llm/mixed_noknn_output.npy")));
        CliRun r2 = CliRun.of(wrongDim.toArray(String[]::new));
        assertEquals(1, r2.exitCode());
        assertTrue(r2.err().contains("mixed_noknn_output.npy: expected a float vector of 32 values"), r2.err());

        List<String> longPrompt = baseArgs();
        longPrompt.addAll(List.of("--context", "64"));
        CliRun r3 = CliRun.of(longPrompt.toArray(String[]::new));
        assertEquals(1, r3.exitCode());
        assertTrue(r3.err().contains("prompt of 117 tokens does not fit the context of 64"), r3.err());
    }
}
