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
        int ctx = cache.contextLength();
        if (position + tokens.length > ctx) {
            throw new IllegalArgumentException((position == 0 ? "prompt of " : "sequence of ") + (position + tokens.length)
                    + " tokens does not fit the context of " + ctx + " (raise --context, at most "
                    + LlamaConfig.MAX_CONTEXT + ", or shorten the prompt)");
        }
        float[] h = model.hidden(tokens, position, cache, prompt, observer);
        position += tokens.length;
        return h;
    }
}
