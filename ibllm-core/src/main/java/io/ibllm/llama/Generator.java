package io.ibllm.llama;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reference's decoding loop (spec §8.3): prefill the whole prompt in one causal pass, then
 * feed one token per step through the KV cache; stop at EOS, after maxTokens, or at the end
 * of the context (the reference's total_len = min(max_seq_len, prompt + max_gen_len)).
 */
public final class Generator {
    /** Receives each generated token as soon as it is chosen (EOS is not reported). */
    @FunctionalInterface
    public interface TokenListener {
        void onToken(int id);
    }

    /**
     * @param promptIds  BOS + the tokenised prompt
     * @param visual     the request's injection, or null for text only
     * @param keepLogits record the logits each forward call returned (row 0 = prefill)
     */
    public record Request(int[] promptIds, AdapterPrompt visual, int maxTokens, Sampler sampler, int eosId,
                          boolean keepLogits) {
        public Request {
            if (promptIds.length == 0) throw new IllegalArgumentException("empty prompt");
            if (maxTokens < 0) throw new IllegalArgumentException("max tokens must be >= 0, got " + maxTokens);
        }
    }

    /** @param ids the generated tokens only, without EOS; stepLogits empty unless asked for */
    public record Result(int[] promptIds, int[] ids, boolean stoppedAtEos, List<float[]> stepLogits) {}

    private final LlamaModel model;

    public Generator(LlamaModel model) {
        this.model = model;
    }

    public Result generate(Request r, TokenListener listener) {
        int ctx = model.config().contextLength();
        Session.checkFits("prompt", r.promptIds().length, ctx);
        int budget = Math.min(r.maxTokens(), ctx - r.promptIds().length);
        List<float[]> logitsSeen = new ArrayList<>();
        int[] out = new int[budget];
        int n = 0;
        boolean eos = false;
        if (budget > 0) {
            Session s = model.newSession(r.visual());
            float[] logits = s.forward(r.promptIds());
            while (true) {
                if (r.keepLogits()) logitsSeen.add(logits);
                int next = r.sampler().next(logits);
                if (next == r.eosId()) {
                    eos = true;
                    break;
                }
                out[n++] = next;
                if (listener != null) listener.onToken(next);
                if (n == budget) break;
                logits = s.forward(new int[] {next});
            }
        }
        return new Result(r.promptIds().clone(), Arrays.copyOf(out, n), eos, List.copyOf(logitsSeen));
    }
}
