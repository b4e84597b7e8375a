package io.ibllm.api;

import io.ibllm.bind.VisualCache;

/**
 * Whether and how the mixed embedding is blended with its neighbours in the visual cache
 * (spec §4): k neighbours, softmax temperature τ, prototype share α. Off by default; turning it
 * on needs a model loaded with a cache file.
 */
public record CacheSettings(boolean enabled, int size, float temperature, float weight) {
    public static final CacheSettings OFF = new CacheSettings(false, 10, 20f, 0.5f);
    /** The reference demo's settings: k = 10, τ = 20, α = 0.5. */
    public static final CacheSettings ON = new CacheSettings(true, 10, 20f, 0.5f);

    public CacheSettings {
        new VisualCache.Settings(size, temperature, weight); // validates
    }

    public CacheSettings enabled(boolean on) { return new CacheSettings(on, size, temperature, weight); }

    VisualCache.Settings settings() { return new VisualCache.Settings(size, temperature, weight); }
}
