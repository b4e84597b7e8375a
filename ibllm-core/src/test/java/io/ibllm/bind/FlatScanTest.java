package io.ibllm.bind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.FaissIndex;
import io.ibllm.tensor.Parallel;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SIMD scan against a naive scalar twin (score every row, sort everything). Integer-valued
 * vectors make every score exact in float whatever the summation order, so ids AND scores must
 * match exactly, and they produce many ties; sizes are chosen off the vector length and tiles.
 */
class FlatScanTest {
    /** The twin: all n scores in double, sorted best first, ties by lower id. */
    static VisualCache.Neighbours twin(float[] rows, int n, int d, float[] q, int k, boolean l2) {
        double[] s = new double[n];
        for (int r = 0; r < n; r++) {
            double acc = 0;
            for (int i = 0; i < d; i++) {
                double x = rows[r * d + i];
                acc += l2 ? (x - q[i]) * (x - q[i]) : x * q[i];
            }
            s[r] = acc;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> {
            int c = l2 ? Double.compare(s[a], s[b]) : Double.compare(s[b], s[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int kk = Math.min(k, n);
        long[] ids = new long[kk];
        float[] sims = new float[kk];
        for (int j = 0; j < kk; j++) {
            ids[j] = order[j];
            sims[j] = (float) s[order[j]];
        }
        return new VisualCache.Neighbours(ids, sims);
    }

    static float[] ints(SplittableRandom rnd, int count, int bound) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++) v[i] = rnd.nextInt(-bound, bound + 1);
        return v;
    }

    private static void checkExact(int n, int d, int queries, int k, boolean l2, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] rows = ints(rnd, n * d, 2);   // few distinct scores: ties everywhere
        float[] qs = ints(rnd, queries * d, 2);
        VisualCache cache = new VisualCache(Tensor.f32(rows, n, d), l2 ? FaissIndex.Metric.L2 : FaissIndex.Metric.INNER_PRODUCT);
        VisualCache.Neighbours[] got = cache.search(qs, queries, k);
        for (int q = 0; q < queries; q++) {
            float[] query = Arrays.copyOfRange(qs, q * d, (q + 1) * d);
            VisualCache.Neighbours want = twin(rows, n, d, query, k, l2);
            String what = "n=" + n + " d=" + d + " B=" + queries + " k=" + k + (l2 ? " L2" : " IP") + " query " + q;
            assertArrayEquals(want.ids(), got[q].ids(), what + " ids");
            assertArrayEquals(want.sims(), got[q].sims(), what + " scores");
        }
    }

    @Test
    void innerProductMatchesTwinWithTies() {
        checkExact(1001, 37, 7, 10, false, 1);    // d off the vector length, odd n, 4-query tile + 3
        checkExact(517, 96, 4, 25, false, 2);
        checkExact(3, 5, 1, 10, false, 3);        // k > n, d below one vector
        checkExact(130, 1, 9, 130, false, 4);     // d = 1: all scalar, k = n
        checkExact(2000, 300, 2, 1, false, 5);    // blocks of rows, k = 1
    }

    @Test
    void l2MatchesTwinWithTies() {
        checkExact(1001, 37, 5, 10, true, 6);
        checkExact(64, 17, 1, 64, true, 7);
    }

    @Test
    void realValuedDataIsATrueTopK() {
        SplittableRandom rnd = new SplittableRandom(11);
        int n = 3001, d = 77, b = 6, k = 12;
        float[] rows = new float[n * d], qs = new float[b * d];
        for (int i = 0; i < rows.length; i++) rows[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < qs.length; i++) qs[i] = (float) rnd.nextGaussian();
        VisualCache.Neighbours[] got = new VisualCache(Tensor.f32(rows, n, d)).search(qs, b, k);
        for (int q = 0; q < b; q++) {
            float[] query = Arrays.copyOfRange(qs, q * d, (q + 1) * d);
            VisualCache.Neighbours all = twin(rows, n, d, query, n, false);
            float[] exact = new float[n];
            for (int j = 0; j < n; j++) exact[(int) all.ids()[j]] = all.sims()[j];
            assertEquals(k, new HashSet<>(Arrays.stream(got[q].ids()).boxed().toList()).size(), "distinct ids");
            for (int j = 0; j < k; j++) {
                long id = got[q].ids()[j];
                assertEquals(exact[(int) id], got[q].sims()[j], 1e-4f, "score of row " + id);
                if (j > 0) assertTrue(got[q].sims()[j - 1] >= got[q].sims()[j], "descending");
            }
            assertTrue(got[q].sims()[k - 1] >= all.sims()[k - 1] - 1e-4f, "k-th kept is as good as the true k-th");
        }
    }

    @Test
    void resultsDoNotDependOnThreadsOrBatch() {
        SplittableRandom rnd = new SplittableRandom(12);
        int n = 999, d = 45, b = 5;
        float[] rows = new float[n * d], qs = new float[b * d];
        for (int i = 0; i < rows.length; i++) rows[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < qs.length; i++) qs[i] = (float) rnd.nextGaussian();
        VisualCache c = new VisualCache(Tensor.f32(rows, n, d));
        VisualCache.Neighbours[] many = c.search(qs, b, 20);
        VisualCache.Neighbours[] one;
        try {
            Parallel.setActiveThreads(1);
            one = c.search(qs, b, 20);
        } finally {
            Parallel.setActiveThreads(Parallel.threads());
        }
        for (int q = 0; q < b; q++) {
            VisualCache.Neighbours single = c.search(Arrays.copyOfRange(qs, q * d, (q + 1) * d), 20);
            assertArrayEquals(many[q].ids(), one[q].ids());
            assertArrayEquals(many[q].sims(), one[q].sims());
            assertArrayEquals(many[q].ids(), single.ids());
            assertArrayEquals(many[q].sims(), single.sims());
        }
    }

    @Test
    void mappedFaissFileSearchesLikeMemory(@TempDir Path dir) {
        SplittableRandom rnd = new SplittableRandom(13);
        int n = 257, d = 19;
        float[] rows = ints(rnd, n * d, 3), q = ints(rnd, d, 3);
        Path file = dir.resolve("c.index");
        FaissIndex.write(file, Tensor.f32(rows, n, d), FaissIndex.Metric.L2);
        try (VisualCache c = VisualCache.open(file)) {
            assertEquals(FaissIndex.Metric.L2, c.metric());
            VisualCache.Neighbours want = twin(rows, n, d, q, 9, true), got = c.search(q, 9);
            assertArrayEquals(want.ids(), got.ids());
            assertArrayEquals(want.sims(), got.sims());
        }
    }
}
