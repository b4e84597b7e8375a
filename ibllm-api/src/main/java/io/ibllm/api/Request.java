package io.ibllm.api;

import java.util.ArrayList;
import java.util.List;

/**
 * One question to the model: the instruction, an optional input text (Alpaca template with
 * input), the weighted media inputs in mixing order, the cache and sampling settings.
 * {@code bindInput}, when set, is the exact vector entering the bind network: it bypasses
 * encoding, mixing and the cache (for callers who do their own embedding arithmetic).
 * {@code keepLogits} records the logits of every decoding step in the result (for checks).
 */
public record Request(String instruction, String input, List<Input> inputs, CacheSettings cache, Sampling sampling,
                      float[] bindInput, boolean keepLogits) {
    public Request {
        if (instruction == null || instruction.isBlank()) throw new IllegalArgumentException("empty instruction");
        inputs = List.copyOf(inputs);
        if (cache == null) cache = CacheSettings.OFF;
        if (sampling == null) sampling = Sampling.DEFAULT;
        if (bindInput != null) {
            if (!inputs.isEmpty() || cache.enabled()) {
                throw new IllegalArgumentException("a bind input bypasses mixing and the cache: do not combine it with inputs or the cache");
            }
            bindInput = bindInput.clone();
        }
        if (cache.enabled() && inputs.isEmpty()) throw new IllegalArgumentException("the cache needs at least one input to look up");
    }

    public static Builder builder(String instruction) { return new Builder(instruction); }

    /** Fluent construction; every setting has the reference demo's default. */
    public static final class Builder {
        private final String instruction;
        private String input;
        private final List<Input> inputs = new ArrayList<>();
        private CacheSettings cache = CacheSettings.OFF;
        private Sampling sampling = Sampling.DEFAULT;
        private float[] bindInput;
        private boolean keepLogits;

        private Builder(String instruction) { this.instruction = instruction; }

        public Builder input(String text) { this.input = text; return this; }

        public Builder add(Input in) { inputs.add(in); return this; }

        public Builder addAll(List<Input> in) { inputs.addAll(in); return this; }

        public Builder cache(CacheSettings c) { this.cache = c; return this; }

        public Builder sampling(Sampling s) { this.sampling = s; return this; }

        public Builder bindInput(float[] v) { this.bindInput = v; return this; }

        public Builder keepLogits(boolean keep) { this.keepLogits = keep; return this; }

        public Request build() { return new Request(instruction, input, inputs, cache, sampling, bindInput, keepLogits); }
    }
}
