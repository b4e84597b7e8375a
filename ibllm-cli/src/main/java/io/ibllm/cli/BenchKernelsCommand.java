package io.ibllm.cli;

import io.ibllm.io.Json;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.MemoryBandwidth;
import io.ibllm.tensor.Ops;
import io.ibllm.tensor.PackedWeight;
import io.ibllm.tensor.Parallel;
import io.ibllm.tensor.SyntheticWeights;
import io.ibllm.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ibllm bench kernels}: LLaMA-7B's largest matvec (11008×4096) per weight dtype at 1 and N
 * threads, as weight GB/s beside the memory-read bandwidth measured in the same run, and the
 * fp32 / Q8_0 GEMM of a 512-token prefill (512×4096×4096) in GFLOP/s, after the pool's
 * dispatch latency. Each matvec cycles over
 * enough copies of its weight to exceed the last-level cache many times, as a decode step does.
 */
@Command(name = "kernels", description = "Matvec GB/s per weight dtype vs measured memory bandwidth; GEMM GFLOP/s.")
public final class BenchKernelsCommand implements Callable<Integer> {
    private static final int OUT = 11008, IN = 4096;
    private static final long STREAM_BYTES = 1L << 30;
    private static final DType[] DTYPES = {DType.F32, DType.F16, DType.BF16, DType.Q8_0, DType.Q4_0};

    @Option(names = "--threads", description = "Threads for the multi-threaded runs (default: the pool size); 1 thread is always measured too.")
    Integer threads;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--seconds", description = "Time per measurement (default 0.6).")
    double seconds = 0.6;

    @Override
    public Integer call() {
        int n = threads == null ? Parallel.threads() : threads;
        if (n < 1 || n > Parallel.threads()) {
            throw new IllegalArgumentException("--threads must be 1.." + Parallel.threads()
                    + " (the pool size; raise it with IBLLM_JAVA_OPTS=-Dibllm.threads=N)");
        }
        List<Integer> counts = n == 1 ? List.of(1) : List.of(1, n);
        Map<String, Object> result = new LinkedHashMap<>();
        List<Object> rows = new ArrayList<>();
        Map<Integer, Double> bandwidth = new LinkedHashMap<>();
        Parallel.setActiveThreads(n);
        double dispatchUs = dispatchMicros();
        Parallel.setActiveThreads(Parallel.threads());
        result.put("dispatch_us", round(dispatchUs));
        if (!json) System.out.printf("pool dispatch (%d threads, empty body): %.2f µs per call%n", n, dispatchUs);
        try (MemoryBandwidth bw = new MemoryBandwidth(STREAM_BYTES)) {
            for (DType dt : DTYPES) {
                PackedWeight[] copies = copies(dt);
                for (int t : counts) {
                    Parallel.setActiveThreads(t);
                    double before = bw.measureGBs(3);
                    double gbs = matvecGBs(copies);
                    double ref = Math.max(before, bw.measureGBs(3));
                    bandwidth.merge(t, round(ref), Math::max);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("kernel", "matvec");
                    row.put("dtype", dt.name());
                    row.put("shape", OUT + "x" + IN);
                    row.put("threads", t);
                    row.put("weight_bytes", copies[0].byteSize());
                    row.put("weight_gbs", round(gbs));
                    row.put("bandwidth_gbs", round(ref));
                    row.put("bw_fraction", round(gbs / ref));
                    rows.add(row);
                    if (!json) System.out.printf("matvec %-5s %dx%d  %d thr  %6.2f GB/s  (memory read %5.2f GB/s)  %5.1f %%%n",
                            dt, OUT, IN, t, gbs, ref, 100 * gbs / ref);
                }
                copies = null;
                System.gc();
            }
        } finally {
            Parallel.setActiveThreads(Parallel.threads());
        }
        for (DType dt : new DType[] {DType.F32, DType.Q8_0}) {
            for (int t : counts) {
                Parallel.setActiveThreads(t);
                double gflops = gemmGFlops(dt);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("kernel", "gemm");
                row.put("dtype", dt.name());
                row.put("shape", "512x4096x4096");
                row.put("threads", t);
                row.put("gflops", round(gflops));
                rows.add(row);
                if (!json) System.out.printf("gemm   %-5s 512x4096x4096  %d thr  %7.1f GFLOP/s%n", dt, t, gflops);
            }
        }
        Parallel.setActiveThreads(Parallel.threads());
        result.put("bandwidth_gbs", bandwidth);
        result.put("results", rows);
        if (json) System.out.println(Json.write(result));
        return 0;
    }

    private static double round(double v) { return Math.round(v * 1000) / 1000.0; }

    /** Cost of one Parallel.forRange over the active threads with an empty body (a decode step makes ~224). */
    private static double dispatchMicros() {
        Parallel.RangeBody body = (s, e) -> { };
        for (int i = 0; i < 20_000; i++) Parallel.forRange(64, body);
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 10_000; i++) Parallel.forRange(64, body);
            best = Math.min(best, (System.nanoTime() - t0) / 1e4 / 1e3);
        }
        return best;
    }

    /** Enough distinct copies of one random weight to span ≥ 512 MiB (16× a 32 MiB L3). */
    private static PackedWeight[] copies(DType dt) {
        Tensor t = SyntheticWeights.tensor(dt, OUT, IN, 0.05f, 7);
        PackedWeight first = PackedWeight.pack(t);
        int count = (int) Math.max(2, Math.ceil((512.0 * (1 << 20)) / first.byteSize()));
        PackedWeight[] copies = new PackedWeight[count];
        copies[0] = first;
        for (int i = 1; i < count; i++) copies[i] = PackedWeight.pack(t);
        return copies;
    }

    private double matvecGBs(PackedWeight[] copies) {
        float[] x = SyntheticWeights.vector(IN, 1f, 3);
        float[] out = new float[OUT];
        long bytes = copies[0].byteSize();
        for (int i = 0; i < 3 * copies.length; i++) Ops.matmul(copies[i % copies.length], x, 1, out);   // warm-up
        double best = 0;
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime(), t1;
            int iters = 0;
            do {
                Ops.matmul(copies[iters % copies.length], x, 1, out);
                iters++;
                t1 = System.nanoTime();
            } while (t1 - t0 < seconds * 1e9 / 5 || iters < copies.length);
            best = Math.max(best, bytes * (double) iters / (t1 - t0));
        }
        return best;
    }

    private static double gemmGFlops(DType dt) {
        int m = 512, k = 4096, n = 4096;
        PackedWeight w = PackedWeight.pack(SyntheticWeights.tensor(dt, n, k, 0.05f, 11));
        float[] x = SyntheticWeights.vector(m * k, 1f, 5);
        float[] out = new float[m * n];
        Ops.matmul(w, x, m, out);
        double best = 0;
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            Ops.matmul(w, x, m, out);
            best = Math.max(best, 2.0 * m * n * k / (System.nanoTime() - t0));
        }
        return best;
    }
}
