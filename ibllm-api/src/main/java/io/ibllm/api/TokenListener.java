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

    /** Prints each piece as it comes (flushing, so it streams), then the rest and a line end. */
    static TokenListener printingTo(java.io.PrintWriter out) {
        return new TokenListener() {
            @Override
            public void onToken(int id, String text) {
                out.print(text);
                out.flush();
            }

            @Override
            public void finish(String rest) {
                out.println(rest);
                out.flush();
            }
        };
    }

    /** A listener that ignores everything. */
    TokenListener NONE = (id, text) -> {};
}
