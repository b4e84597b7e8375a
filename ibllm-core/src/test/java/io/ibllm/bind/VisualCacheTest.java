package io.ibllm.bind;

import static io.ibllm.bind.BindNetworkTest.assertClose;
import static io.ibllm.bind.BindNetworkTest.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.Golden;
import io.ibllm.io.FaissIndex;
import io.ibllm.io.FormatException;
import io.ibllm.io.Npy;
import io.ibllm.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact top-k search and the cache blend against faiss IndexFlatIP and the reference blend, both
 * from the golden .npy vectors and from the mapped FAISS knn.index itself.
 */
class VisualCacheTest {
    static final VisualCache NPY = new VisualCache(Npy.read(Golden.file("checkpoints/knn_vectors.npy")));
    static VisualCache faiss;

    @BeforeAll
    static void open() { faiss = VisualCache.open(Golden.file("checkpoints/knn.index")); }

    @AfterAll
    static void close() { faiss.close(); }

    static long[] longs(String name) { return Npy.read(Golden.file("outputs/llm/" + name)).toLongArray(); }

    private static void checkSearch(VisualCache cache, String tag, int rows) {
        float[] q = npy("knn_" + tag + "_query.npy");
        long[] ids = longs("knn_" + tag + "_indices.npy");
        float[] sims = npy("knn_" + tag + "_sims.npy");
        int d = cache.dim();
        VisualCache.Neighbours[] batch = cache.search(q, rows, 10);
        for (int r = 0; r < rows; r++) {
            VisualCache.Neighbours nb = cache.search(Arrays.copyOfRange(q, r * d, (r + 1) * d), 10);
            assertArrayEquals(Arrays.copyOfRange(ids, r * 10, (r + 1) * 10), nb.ids(), tag + " row " + r + " ids");
            assertClose(Arrays.copyOfRange(sims, r * 10, (r + 1) * 10), nb.sims(), 1e-6f, tag + " row " + r + " sims");
            assertArrayEquals(nb.ids(), batch[r].ids(), tag + " row " + r + " batch ids");
            assertArrayEquals(nb.sims(), batch[r].sims(), tag + " row " + r + " batch sims (bitwise)");
        }
    }

    @Test
    void searchGivenQueries() {
        checkSearch(NPY, "given", 2);
        checkSearch(faiss, "given", 2);
    }

    @Test
    void searchMixedQuery() {
        checkSearch(NPY, "mixed", 1);
        checkSearch(faiss, "mixed", 1);
    }

    @Test
    void blendPerSampleForABatch() {
        assertClose(npy("bind_given_knn_input.npy"), NPY.blend(npy("knn_given_query.npy"), 2, VisualCache.Settings.DEFAULT),
                1e-6f, "batch blend (npy)");
        assertClose(npy("bind_given_knn_input.npy"), faiss.blend(npy("knn_given_query.npy"), 2, VisualCache.Settings.DEFAULT),
                1e-6f, "batch blend (knn.index)");
    }

    @Test
    void blendMixedQuery() {
        assertClose(npy("mixed_knn_bind_input.npy"), NPY.blend(npy("knn_mixed_query.npy"), VisualCache.Settings.DEFAULT),
                1e-6f, "mixed blend");
        assertClose(npy("mixed_knn_bind_input.npy"), faiss.blend(npy("knn_mixed_query.npy"), VisualCache.Settings.DEFAULT),
                1e-6f, "mixed blend (knn.index)");
    }

    @Test
    void faissIndexIsMappedAsInnerProduct() {
        assertEquals(FaissIndex.Metric.INNER_PRODUCT, faiss.metric());
        assertEquals(NPY.size(), faiss.size());
        assertArrayEquals(NPY.vector(NPY.size() - 1), faiss.vector(faiss.size() - 1));
    }

    @Test
    void faissIndexAndNpyGiveTheSameBlend() {
        try (VisualCache faiss = VisualCache.open(Golden.file("checkpoints/knn.index"))) {
            assertEquals(64, faiss.size());
            assertClose(npy("mixed_knn_bind_input.npy"), faiss.blend(npy("knn_mixed_query.npy"), VisualCache.Settings.DEFAULT),
                    1e-6f, "blend from knn.index");
        }
    }

    @Test
    void kLargerThanTheCacheReturnsEverythingSorted() {
        float[] v = {1, 0, 0.5f, 0.5f, 0, 1, 0.9f, 0.1f};
        VisualCache c = new VisualCache(Tensor.f32(v, 4, 2));
        VisualCache.Neighbours nb = c.search(new float[] {1, 0}, 10);
        assertArrayEquals(new long[] {0, 3, 1, 2}, nb.ids());
        assertEquals(4, nb.sims().length);
    }

    @Test
    void l2CacheOfUnitVectorsBlendsLikeInnerProduct() {
        Tensor t = Npy.read(Golden.file("checkpoints/knn_vectors.npy"));
        VisualCache l2 = new VisualCache(t, FaissIndex.Metric.L2);
        float[] q = npy("knn_mixed_query.npy");
        float[] unit = q.clone();
        float inv = 1f / Mixer.norm(unit);
        for (int i = 0; i < unit.length; i++) unit[i] *= inv;
        VisualCache.Neighbours byL2 = l2.search(unit, 10), byIp = NPY.search(unit, 10);
        assertArrayEquals(byIp.ids(), byL2.ids(), "unit query: same neighbours");
        for (int j = 0; j < 10; j++) {   // |x − q|² = 2 − 2·x·q for unit x and q
            assertEquals(2 - 2 * byIp.sims()[j], byL2.sims()[j], 1e-5f, "squared distance " + j);
        }
        assertClose(NPY.blend(unit, VisualCache.Settings.DEFAULT), l2.blend(unit, VisualCache.Settings.DEFAULT), 1e-6f, "blend");
    }

    @Test
    void truncatedOrForeignCacheFilesGiveOneLineErrors(@TempDir Path dir) throws Exception {
        byte[] bytes = Files.readAllBytes(Golden.file("checkpoints/knn.index"));
        Path cut = dir.resolve("cut.index");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 7));
        FormatException e = assertThrows(FormatException.class, () -> VisualCache.open(cut));
        assertTrue(e.getMessage().startsWith(cut.toString()) && e.getMessage().contains("bytes"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());

        Path head = dir.resolve("head.index");
        Files.write(head, Arrays.copyOf(bytes, 20));
        e = assertThrows(FormatException.class, () -> VisualCache.open(head));
        assertTrue(e.getMessage().startsWith(head.toString()), e.getMessage());

        Path ivf = dir.resolve("ivf.index");
        byte[] other = bytes.clone();
        other[1] = 'w';
        other[2] = 'F';
        other[3] = 'l';
        Files.write(ivf, other);
        e = assertThrows(FormatException.class, () -> VisualCache.open(ivf));
        assertTrue(e.getMessage().contains("IwFl") && e.getMessage().contains("not supported"), e.getMessage());
    }
}
