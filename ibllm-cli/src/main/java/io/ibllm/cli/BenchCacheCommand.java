package io.ibllm.cli;

import io.ibllm.bind.VisualCache;
import io.ibllm.io.FaissIndex;
import io.ibllm.io.Json;
import io.ibllm.tensor.MemoryBandwidth;
import io.ibllm.tensor.Parallel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ibllm bench cache}: exact top-k over a random cache (default 1 M × 1024 float32, the
 * shape of the released knn.index scaled down) written to a temporary FAISS IndexFlatIP file and
 * memory-mapped, as {@code --cache} uses it. Single queries each stream the whole file, so their
 * time is compared with one pass over the bytes at the memory-read bandwidth measured in the
 * same run (target: ≤ 1.2×); a batch of queries shares one pass.
 */
@Command(name = "cache", description = "Visual-cache search: queries/s and bytes/s vs measured memory bandwidth.")
public final class BenchCacheCommand implements Callable<Integer> {
    @Option(names = "--synthetic", paramLabel = "N", description = "Random cache vectors (default ${DEFAULT-VALUE}).")
    int count = 1_000_000;

    @Option(names = "--dim", paramLabel = "D", description = "Vector dimension (default ${DEFAULT-VALUE}).")
    int dim = 1024;

    @Option(names = "--queries", paramLabel = "Q", description = "Single queries timed, also the batch size of the batched run (default ${DEFAULT-VALUE}).")
    int queries = 16;

    @Option(names = "--k", description = "Neighbours per query (default ${DEFAULT-VALUE}).")
    int k = 10;

    @Option(names = "--threads", description = "Threads (default: the pool size).")
    Integer threads;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (count < 1 || dim < 1 || queries < 1 || k < 1) throw new IllegalArgumentException("--synthetic, --dim, --queries and --k must be positive");
        int t = threads == null ? Parallel.threads() : threads;
        Parallel.setActiveThreads(t);
        Path file = Files.createTempFile("ibllm-bench-cache-", ".index");
        try {
            long bytes = (long) count * dim * Float.BYTES;
            if (!json) System.err.printf("writing a random %d x %d cache (%.2f GB) to %s%n", count, dim, bytes / 1e9, file);
            writeRandom(file);
            Map<String, Object> r = measure(file, bytes, t);
            if (json) {
                System.out.println(Json.write(r));
            } else {
                System.out.printf("cache %d x %d float32 (%.2f GB), top-%d, %d threads%n", count, dim, bytes / 1e9, k, t);
                System.out.printf("single query: %.2f queries/s, %.2f GB/s = %.1f %% of memory read %.2f GB/s; %.2fx the time of one pass (median of pairs)%n",
                        r.get("queries_per_s"), ((Number) r.get("bytes_per_s")).doubleValue() / 1e9, 100 * (double) r.get("bw_fraction"),
                        r.get("bandwidth_gbs"), r.get("pass_time_ratio"));
                System.out.printf("batch of %d: %.2f queries/s (one pass per batch)%n", queries, r.get("batch_queries_per_s"));
            }
        } finally {
            Files.deleteIfExists(file);
            Parallel.setActiveThreads(Parallel.threads());
        }
        return 0;
    }

    private void writeRandom(Path file) {
        SplittableRandom rnd = new SplittableRandom(42);
        float[] row = new float[dim];
        FaissIndex.write(file, dim, count, FaissIndex.Metric.INNER_PRODUCT, i -> {
            for (int j = 0; j < dim; j++) row[j] = (float) (rnd.nextDouble() - 0.5);
            return row;
        });
    }

    /**
     * Single queries interleaved with bandwidth passes (each query's time is compared with the
     * bandwidth measured right beside it, so a noisy neighbour skews both alike), then one batch.
     */
    private Map<String, Object> measure(Path file, long bytes, int t) {
        SplittableRandom rnd = new SplittableRandom(7);
        float[] qs = new float[queries * dim];
        for (int i = 0; i < qs.length; i++) qs[i] = (float) (rnd.nextDouble() - 0.5);
        double bandwidth = 0;
        double[] single = new double[queries], ratio = new double[queries];
        long batch;
        try (VisualCache cache = VisualCache.open(file); MemoryBandwidth bw = new MemoryBandwidth(1L << 30)) {
            cache.search(Arrays.copyOf(qs, dim), k);   // maps every page once
            bw.measureGBs(2);
            for (int q = 0; q < queries; q++) {
                double gbs = bw.measureGBs(1) * 1e9;
                float[] one = Arrays.copyOfRange(qs, q * dim, (q + 1) * dim);
                long t0 = System.nanoTime();
                cache.search(one, k);
                single[q] = (System.nanoTime() - t0) / 1e9;
                gbs = Math.max(gbs, bw.measureGBs(1) * 1e9);
                ratio[q] = single[q] / (bytes / gbs);
                bandwidth = Math.max(bandwidth, gbs);
            }
            long t0 = System.nanoTime();
            cache.search(qs, queries, k);
            batch = System.nanoTime() - t0;
        }
        double median = median(single);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("count", count);
        r.put("dim", dim);
        r.put("k", k);
        r.put("threads", t);
        r.put("cache_bytes", bytes);
        r.put("query_ms_median", round(median * 1e3));
        r.put("query_ms_best", round(Arrays.stream(single).min().orElseThrow() * 1e3));
        r.put("queries_per_s", round(1 / median));
        r.put("bytes_per_s", Math.round(bytes / median));
        r.put("bandwidth_gbs", round(bandwidth / 1e9));
        r.put("bw_fraction", round(bytes / median / bandwidth));
        r.put("pass_time_ratio", round(median(ratio)));
        r.put("batch", queries);
        r.put("batch_queries_per_s", round(queries / (batch / 1e9)));
        return r;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double round(double v) { return Math.round(v * 1000) / 1000.0; }
}
