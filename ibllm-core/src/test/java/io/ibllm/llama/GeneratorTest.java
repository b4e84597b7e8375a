package io.ibllm.llama;

import static io.ibllm.llama.TinyModel.MODEL;
import static io.ibllm.llama.TinyModel.maxAbsDiff;
import static io.ibllm.llama.TinyModel.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.Golden;
import io.ibllm.io.Npy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Greedy generation against the reference's generate() (ids exact, per-step logits 1e-3). */
class GeneratorTest {
    private static int[] goldenIds(String name) {
        return Arrays.stream(Npy.read(Golden.file("outputs/llm/" + name)).toLongArray()).mapToInt(Math::toIntExact).toArray();
    }

    private static void checkGenerate(String tag) {
        AdapterPrompt visual = MODEL.adapterPrompt(npy("outputs/llm/mixed_" + tag + "_bind_input.npy"));
        List<Integer> streamed = new ArrayList<>();
        Generator.Result r = new Generator(MODEL.llama()).generate(
                new Generator.Request(TinyModel.promptIds(), visual, 16, Sampler.greedy(), 2, true), streamed::add);
        int[] expected = goldenIds("generate_" + tag + "_ids.npy");
        assertArrayEquals(expected, r.ids(), tag + " ids");
        assertEquals(Arrays.stream(expected).boxed().toList(), streamed, "streamed in order");
        float[] golden = npy("outputs/llm/generate_" + tag + "_step_logits.npy");
        assertEquals(16, r.stepLogits().size());
        for (int i = 0; i < 16; i++) {
            float d = maxAbsDiff(Arrays.copyOfRange(golden, i * 512, (i + 1) * 512), r.stepLogits().get(i));
            assertTrue(d <= 1e-3f, tag + " step " + i + " logits off by " + d);
        }
    }

    @Test
    void greedyWithoutCache() { checkGenerate("noknn"); }

    @Test
    void greedyWithCache() { checkGenerate("knn"); }

    @Test
    void stopsAtEndOfContext() {
        int[] prompt = TinyModel.promptIds();
        try (LlamaAdapter m = ModelLoader.load(Golden.file("checkpoints/llama/tiny"),
                Golden.file("checkpoints/imagebind_llm_adapter.safetensors"), prompt.length + 3)) {
            checkContextLimits(m.llama(), prompt);
        }
    }

    private static void checkContextLimits(LlamaModel small, int[] prompt) {
        Generator.Result r = new Generator(small).generate(
                new Generator.Request(prompt, null, 16, Sampler.greedy(), 2, false), null);
        assertEquals(3, r.ids().length);
        var e = assertThrows(IllegalArgumentException.class, () -> new Generator(small).generate(
                new Generator.Request(Arrays.copyOf(prompt, prompt.length + 4), null, 4, Sampler.greedy(), 2, false), null));
        assertTrue(e.getMessage().contains("does not fit the context"), e.getMessage());
    }

    @Test
    void templatesAreAlpacas() {
        assertEquals(TinyModel.goldenLlm().get("prompt"), PromptTemplate.format("Describe what you perceive in these inputs.", ""));
        assertEquals("Below is an instruction that describes a task, paired with an input that provides further context. "
                + "Write a response that appropriately completes the request.\n\n### Instruction:\nI\n\n### Input:\nX\n\n"
                + "### Response:", PromptTemplate.format("I", "X"));
    }
}
