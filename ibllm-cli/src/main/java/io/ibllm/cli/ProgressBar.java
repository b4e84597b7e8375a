package io.ibllm.cli;

/** The one-line progress display of long commands on stderr: a bar, counts and the time left. */
final class ProgressBar {
    private ProgressBar() {}

    static String bar(long done, long total) {
        int w = 24, f = (int) (w * done / Math.max(total, 1));
        return "[" + "#".repeat(f) + ".".repeat(w - f) + "]";
    }

    static String eta(double seconds) {
        long x = (long) seconds;
        return String.format("%d:%02d:%02d", x / 3600, x / 60 % 60, x % 60);
    }
}
