package io.ibllm.bind;

import static io.ibllm.bind.BindNetworkTest.assertClose;
import static io.ibllm.bind.BindNetworkTest.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ibllm.Golden;
import io.ibllm.io.Npy;
import io.ibllm.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Exact top-k search and the cache blend against faiss IndexFlatIP and the reference blend. */
class VisualCacheTest {
    static final VisualCache CACHE = new VisualCache(Npy.read(Golden.file("checkpoints/knn_vectors.npy")));

    static long[] longs(String name) { return Npy.read(Golden.file("outputs/llm/" + name)).toLongArray(); }

    private static void checkSearch(String tag, int rows) {
        float[] q = npy("knn_" + tag + "_query.npy");
        long[] ids = longs("knn_" + tag + "_indices.npy");
        float[] sims = npy("knn_" + tag + "_sims.npy");
        for (int r = 0; r < rows; r++) {
            VisualCache.Neighbours nb = CACHE.search(Arrays.copyOfRange(q, r * 32, (r + 1) * 32), 10);
            assertArrayEquals(Arrays.copyOfRange(ids, r * 10, (r + 1) * 10), nb.ids(), tag + " row " + r + " ids");
            assertClose(Arrays.copyOfRange(sims, r * 10, (r + 1) * 10), nb.sims(), 1e-6f, tag + " row " + r + " sims");
        }
    }

    @Test
    void searchGivenQueries() { checkSearch("given", 2); }

    @Test
    void searchMixedQuery() { checkSearch("mixed", 1); }

    @Test
    void blendPerSampleForABatch() {
        float[] blended = CACHE.blend(npy("knn_given_query.npy"), 2, VisualCache.Settings.DEFAULT);
        assertClose(npy("bind_given_knn_input.npy"), blended, 1e-6f, "batch blend");
    }

    @Test
    void blendMixedQuery() {
        assertClose(npy("mixed_knn_bind_input.npy"), CACHE.blend(npy("knn_mixed_query.npy"), VisualCache.Settings.DEFAULT),
                1e-6f, "mixed blend");
    }

    @Test
    void kLargerThanTheCacheReturnsEverythingSorted() {
        float[] v = {1, 0, 0.5f, 0.5f, 0, 1, 0.9f, 0.1f};
        VisualCache c = new VisualCache(Tensor.f32(v, 4, 2));
        VisualCache.Neighbours nb = c.search(new float[] {1, 0}, 10);
        assertArrayEquals(new long[] {0, 3, 1, 2}, nb.ids());
        assertEquals(4, nb.sims().length);
    }
}
