package io.ibllm.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * The engine's one worker pool, sized to the available cores (override with -Dibllm.threads=N).
 * Work is split into contiguous chunks so both cores finish together and results do not depend
 * on scheduling.
 */
public final class Parallel {
    private static final int THREADS = Integer.getInteger("ibllm.threads",
            Runtime.getRuntime().availableProcessors());
    private static final ForkJoinPool POOL = new ForkJoinPool(THREADS);

    private Parallel() {}

    public static int threads() { return THREADS; }

    /** Body over [start, end). */
    @FunctionalInterface
    public interface RangeBody { void run(int start, int end); }

    /** Runs {@code body} over [0, n) split into one contiguous chunk per worker. */
    public static void forRange(int n, RangeBody body) {
        if (n <= 0) return;
        int chunks = Math.min(THREADS, n);
        if (chunks == 1) {
            body.run(0, n);
            return;
        }
        POOL.submit(() -> IntStream.range(0, chunks).parallel().forEach(c -> {
            int s = (int) ((long) n * c / chunks);
            int e = (int) ((long) n * (c + 1) / chunks);
            body.run(s, e);
        })).join();
    }
}
