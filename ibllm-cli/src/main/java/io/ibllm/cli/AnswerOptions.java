package io.ibllm.cli;

import io.ibllm.api.CacheSettings;
import io.ibllm.api.Sampling;
import picocli.CommandLine.Option;

/** Cache blend and sampling flags (as ibllm generate's): a picocli mixin. */
final class AnswerOptions {
    @Option(names = "--cache-size", paramLabel = "K", defaultValue = "10", description = "Neighbours blended (default ${DEFAULT-VALUE}).")
    int cacheSize;

    @Option(names = "--cache-t", paramLabel = "T", defaultValue = "20", description = "Softmax temperature over similarities (default ${DEFAULT-VALUE}).")
    float cacheT;

    @Option(names = "--cache-weight", paramLabel = "A", defaultValue = "0.5", description = "Share of the cache prototype (default ${DEFAULT-VALUE}).")
    float cacheWeight;

    @Option(names = "--temperature", defaultValue = "0.1", description = "0 = greedy (default ${DEFAULT-VALUE}, as the reference demo).")
    float temperature;

    @Option(names = "--top-p", defaultValue = "0.75", description = "Nucleus mass (default ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--max-tokens", defaultValue = "256", description = "Most tokens to generate (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed; the same seed gives the same answer (default ${DEFAULT-VALUE}).")
    long seed;

    CacheSettings cache(boolean on) { return new CacheSettings(on, cacheSize, cacheT, cacheWeight); }

    Sampling sampling() { return new Sampling(temperature, topP, maxTokens, seed); }
}
