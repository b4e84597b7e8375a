package io.ibllm.llama;

/**
 * One request's decoding state: the KV cache, the position reached and the visual injection
 * (computed once, reused at every step). Not thread-safe; use one per request.
 */
public final class Session {
    private final LlamaModel model;
    private final KVCache cache;
    private final AdapterPrompt prompt;
    private int position;

    Session(LlamaModel model, KVCache cache, AdapterPrompt prompt) {
        this.model = model;
        this.cache = cache;
        this.prompt = prompt;
    }

    public int position() { return position; }

    /** The one error for a sequence longer than the context. */
    static void checkFits(String what, int tokens, int context) {
        if (tokens > context) {
            throw new IllegalArgumentException(what + " of " + tokens + " tokens does not fit the context of " + context
                    + " (raise --context, at most " + LlamaConfig.MAX_CONTEXT + ", or shorten the prompt)");
        }
    }

    /** Feeds {@code tokens} (a whole prompt or one new token); returns the logits of the last one. */
    public float[] forward(int[] tokens) {
        return forward(tokens, null);
    }

    public float[] forward(int[] tokens, LayerObserver observer) {
        float[] h = hidden(tokens, observer);
        return model.logits(h, tokens.length - 1, 1);
    }

    /** Feeds {@code tokens} and returns the final hidden states of all of them [rows, dim] (before the final norm). */
    public float[] hidden(int[] tokens, LayerObserver observer) {
        if (tokens.length == 0) throw new IllegalArgumentException("no tokens to feed");
        checkFits(position == 0 ? "prompt" : "sequence", position + tokens.length, cache.contextLength());
        float[] h = model.hidden(tokens, position, cache, prompt, observer);
        position += tokens.length;
        return h;
    }
}
