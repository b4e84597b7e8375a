package io.ibllm.api;

import io.ibllm.llama.Sampler;

/**
 * How tokens are chosen (spec §8.3): greedy at temperature 0, else temperature + top-p with a
 * seeded generator, so the same seed gives the same answer. Defaults are the reference demo's.
 */
public record Sampling(float temperature, float topP, int maxTokens, long seed) {
    public static final Sampling DEFAULT = new Sampling(0.1f, 0.75f, 256, 0);

    public Sampling {
        if (!(temperature >= 0f) || !Float.isFinite(temperature)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (!(topP > 0f && topP <= 1f)) throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        if (maxTokens < 0) throw new IllegalArgumentException("max tokens must be >= 0, got " + maxTokens);
    }

    /** Greedy decoding of at most {@code maxTokens} tokens. */
    public static Sampling greedy(int maxTokens) { return new Sampling(0f, 1f, maxTokens, 0); }

    Sampler sampler() { return Sampler.of(temperature, topP, seed); }
}
