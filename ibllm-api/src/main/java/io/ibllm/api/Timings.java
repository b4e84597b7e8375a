package io.ibllm.api;

/**
 * Where a request's time went, in milliseconds: encoding the inputs with ImageBind, mixing +
 * cache + bind network, the prompt prefill (until the first token is chosen) and the decoding
 * of the remaining {@code tokens - 1} tokens.
 */
public record Timings(double encodeMs, double bindMs, double prefillMs, double decodeMs, int promptTokens, int tokens) {
    public double totalMs() { return encodeMs + bindMs + prefillMs + decodeMs; }

    /** Prompt tokens per second of the prefill. */
    public double prefillTokensPerSecond() { return prefillMs > 0 ? promptTokens * 1000.0 / prefillMs : 0; }

    /** Generated tokens per second after the first. */
    public double decodeTokensPerSecond() { return decodeMs > 0 && tokens > 1 ? (tokens - 1) * 1000.0 / decodeMs : 0; }
}
