package io.ibllm.api;

/**
 * Receives an answer as it is produced. {@code text} is what token {@code id} completes: it may
 * be empty (a byte-fallback token in the middle of a UTF-8 character), so printing the pieces in
 * order never splits a character. {@link #finish} gets what is still held back at the end.
 */
@FunctionalInterface
public interface TokenListener {
    void onToken(int id, String text);

    default void finish(String rest) {}

    /** A listener that ignores everything. */
    TokenListener NONE = (id, text) -> {};
}
