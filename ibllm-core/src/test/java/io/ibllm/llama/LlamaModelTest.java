package io.ibllm.llama;

import static io.ibllm.llama.TinyModel.MODEL;
import static io.ibllm.llama.TinyModel.maxAbsDiff;
import static io.ibllm.llama.TinyModel.npy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The adapted LLaMA against the reference run on CPU in fp32 (logits to 1e-3 absolute). */
class LlamaModelTest {
    static final float LOGIT_TOL = 1e-3f;

    private static AdapterPrompt injected() {
        return MODEL.llama().adapterPrompt(npy("outputs/llm/mixed_knn_output.npy"));
    }

    @Test
    void configComesFromParamsAndEmbedding() {
        LlamaConfig c = MODEL.llama().config();
        assertEquals(64, c.dim());
        assertEquals(2, c.nLayers());
        assertEquals(4, c.nHeads());
        assertEquals(192, c.ffnHidden());
        assertEquals(512, c.vocabSize());
        assertEquals(1e-6f, c.normEps());
        assertEquals(11008, LlamaConfig.ffnHidden(4096, 256), "LLaMA-7B FFN width");
    }

    @Test
    void ropeTableMatchesReference() {
        float[] golden = npy("outputs/llm/freqs_cis_first256.npy"); // [256, half, 2]
        float[] table = MODEL.llama().freqsCis();
        int half = MODEL.llama().config().headDim() / 2;
        float worst = 0;
        for (int t = 0; t < 256; t++) {
            for (int j = 0; j < half; j++) {
                worst = Math.max(worst, Math.abs(table[(t * half + j) * 2] - golden[(t * half + j) * 2]));
                worst = Math.max(worst, Math.abs(table[(t * half + j) * 2 + 1] - golden[(t * half + j) * 2 + 1]));
            }
        }
        assertTrue(worst <= 1e-6f, "RoPE table off by " + worst);
    }

    @Test
    void prefillWithInjectionMatchesAllPositions() {
        int[] ids = TinyModel.promptIds();
        Session s = MODEL.llama().newSession(injected());
        float[] h = s.hidden(ids, null);
        float[] all = MODEL.llama().logits(h, 0, ids.length);
        float d = maxAbsDiff(all, npy("outputs/llm/logits_prefill_injected_all.npy"));
        assertTrue(d <= LOGIT_TOL, "injected prefill logits off by " + d);
        float[] last = Arrays.copyOfRange(all, (ids.length - 1) * 512, ids.length * 512);
        assertTrue(maxAbsDiff(last, npy("outputs/llm/logits_prefill_injected_last.npy")) <= LOGIT_TOL);
    }

    @Test
    void prefillWithoutInjection() {
        int[] ids = TinyModel.promptIds();
        Session s = MODEL.llama().newSession(null);
        float[] h = s.hidden(ids, null);
        float d = maxAbsDiff(MODEL.llama().logits(h, 0, ids.length), npy("outputs/llm/logits_prefill_plain_all.npy"));
        assertTrue(d <= LOGIT_TOL, "plain prefill logits off by " + d);
        float[] last = MODEL.llama().newSession(null).forward(ids);
        assertTrue(maxAbsDiff(last, npy("outputs/llm/logits_prefill_plain_last.npy")) <= LOGIT_TOL);
    }

    @Test
    void hiddenStatesPerLayer() {
        int[] ids = TinyModel.promptIds();
        float[][] seen = new float[2][];
        MODEL.llama().newSession(injected()).forward(ids, (layer, hidden, rows) -> seen[layer] = hidden.clone());
        for (int l = 0; l < 2; l++) {
            float d = maxAbsDiff(seen[l], npy("outputs/llm/hidden_injected_layer" + l + ".npy"));
            assertTrue(d <= 1e-3f, "layer " + l + " hidden off by " + d);
        }
    }

    @Test
    void kvCacheStepsMatchIncrementalGolden() {
        int[] ids = TinyModel.promptIds();
        float[] golden = npy("outputs/llm/logits_incremental_injected.npy"); // [5, vocab]
        Session s = MODEL.llama().newSession(injected());
        s.forward(Arrays.copyOf(ids, 112));
        for (int r = 0; r < 5; r++) {
            float[] logits = s.forward(new int[] {ids[112 + r]});
            float d = maxAbsDiff(logits, Arrays.copyOfRange(golden, r * 512, (r + 1) * 512));
            assertTrue(d <= LOGIT_TOL, "step " + r + " off by " + d);
        }
        assertEquals(117, s.position());
    }

    @Test
    void promptLongerThanContextIsAClearError() {
        int[] ids = new int[LlamaConfig.DEFAULT_CONTEXT + 1];
        var e = assertThrows(IllegalArgumentException.class, () -> MODEL.llama().newSession(null).forward(ids));
        assertTrue(e.getMessage().contains("does not fit the context of 512"), e.getMessage());
    }

    @Test
    void tokenOutsideVocabularyIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> MODEL.llama().newSession(null).forward(new int[] {1, 512}));
        assertTrue(e.getMessage().contains("512"), e.getMessage());
    }
}
