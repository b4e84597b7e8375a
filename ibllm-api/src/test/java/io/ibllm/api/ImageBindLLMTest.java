package io.ibllm.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java API on the golden tiny model: greedy ids exact, mixed vectors to 1e-5, concurrency, close. */
class ImageBindLLMTest {
    static ImageBindLLM model;

    @BeforeAll
    static void load() { model = ImageBindLLM.load(GoldenModel.files()); }

    @AfterAll
    static void close() { model.close(); }

    private static long[] longs(int[] ids) { return Arrays.stream(ids).asLongStream().toArray(); }

    private static float maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        float m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    private static Request.Builder golden() {
        return Request.builder(GoldenModel.instruction()).sampling(Sampling.greedy(16));
    }

    @Test
    void bindInputGivesGoldenIdsTextAndStreamsEveryToken() {
        StringBuilder streamed = new StringBuilder();
        List<Integer> seen = new ArrayList<>();
        Result r = model.generate(golden().bindInput(GoldenModel.floats("mixed_noknn_bind_input.npy")).build(), new TokenListener() {
            @Override
            public void onToken(int id, String text) {
                seen.add(id);
                streamed.append(text);
            }

            @Override
            public void finish(String rest) { streamed.append(rest); }
        });
        assertArrayEquals(GoldenModel.ids("generate_noknn_ids.npy"), longs(r.ids()));
        Map<?, ?> noknn = (Map<?, ?>) GoldenModel.llm().get("generate_noknn");
        assertEquals(noknn.get("text"), r.text());
        assertEquals(r.text(), streamed.toString());
        assertEquals(Arrays.stream(r.ids()).boxed().toList(), seen);
        long[] prompt = ((List<?>) GoldenModel.llm().get("prompt_ids")).stream().mapToLong(o -> ((Number) o).longValue()).toArray();
        assertArrayEquals(prompt, longs(r.promptIds()));
        assertEquals(16, r.timings().tokens());
    }

    @Test
    void rawGoldenInputsMixAndAnswerAsTheReference() {
        Result r = model.generate(golden().addAll(GoldenModel.mixedInputs()).build(), null);
        float d = maxAbsDiff(GoldenModel.floats("mixed_noknn_bind_input.npy"), r.bindInput());
        assertTrue(d <= 1e-5f, "mixed embedding off by " + d);
        assertNull(r.neighbours());
        assertArrayEquals(GoldenModel.ids("generate_noknn_ids.npy"), longs(r.ids()));
    }

    @Test
    void rawGoldenInputsThroughTheCacheAnswerAsTheReference() {
        Result r = model.generate(golden().addAll(GoldenModel.mixedInputs()).cache(CacheSettings.ON).build(), null);
        assertArrayEquals(GoldenModel.ids("knn_mixed_indices.npy"), r.neighbours().ids());
        float ds = maxAbsDiff(GoldenModel.floats("knn_mixed_sims.npy"), r.neighbours().sims());
        assertTrue(ds <= 1e-5f, "cache similarities off by " + ds);
        float d = maxAbsDiff(GoldenModel.floats("mixed_knn_bind_input.npy"), r.bindInput());
        assertTrue(d <= 1e-5f, "blended embedding off by " + d);
        assertArrayEquals(GoldenModel.ids("generate_knn_ids.npy"), longs(r.ids()));
    }

    @Test
    void embedsMediaFilesAsTheReferenceAndPassesEmbeddingsThrough() {
        List<Input> in = List.of(Input.image(GoldenModel.file("inputs/image_0.png")),
                Input.points(GoldenModel.file("inputs/point_0.npy")).fpsStart(GoldenModel.fpsStart()));
        List<float[]> e = model.embed(in);
        float[] vision = io.ibllm.io.Npy.read(GoldenModel.file("outputs/imagebind/vision_postnorm.npy")).toFloatArray();
        float[] point = io.ibllm.io.Npy.read(GoldenModel.file("outputs/imagebind/point_postnorm.npy")).toFloatArray();
        float dv = maxAbsDiff(Arrays.copyOf(vision, e.get(0).length), e.get(0));
        float dp = maxAbsDiff(Arrays.copyOf(point, e.get(1).length), e.get(1));
        assertTrue(dv <= 1e-4f && dp <= 1e-4f, "image off by " + dv + ", points off by " + dp);
        float[] given = new float[e.get(0).length];
        given[1] = 2f;
        assertArrayEquals(given, model.embed(List.of(Input.embedding(given))).getFirst());
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> model.embed(List.of(Input.embedding(new float[] {3f, 4f}))));
        assertTrue(ex.getMessage().contains("2 values"), ex.getMessage());
    }

    @Test
    void concurrentRequestsGiveTheSameIdsAsSequentialOnes() throws Exception {
        Request plain = golden().bindInput(GoldenModel.floats("mixed_noknn_bind_input.npy")).build();
        Request sampled = Request.builder(GoldenModel.instruction()).add(Input.of(Input.Kind.EMBEDDING,
                        GoldenModel.file("outputs/llm/knn_mixed_query.npy"))).cache(CacheSettings.ON).sampling(new Sampling(0.8f, 0.9f, 16, 7)).build();
        int[] a = model.generate(plain, null).ids(), b = model.generate(sampled, null).ids();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            for (int round = 0; round < 2; round++) {
                Future<int[]> fa = pool.submit(() -> model.generate(plain, null).ids());
                Future<int[]> fb = pool.submit(() -> model.generate(sampled, null).ids());
                assertArrayEquals(a, fa.get());
                assertArrayEquals(b, fb.get());
            }
        }
    }

    @Test
    void closedModelRefusesRequestsAndClosesTwice() {
        ImageBindLLM m = ImageBindLLM.load(GoldenModel.files());
        Request r = golden().bindInput(GoldenModel.floats("mixed_noknn_bind_input.npy")).build();
        assertEquals(16, m.generate(r, null).ids().length);
        m.close();
        m.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.generate(r, null));
        assertEquals("model is closed", e.getMessage());
    }

    @Test
    void requestsWithoutTheirPartsGiveClearErrors() {
        ModelFiles noMedia = ModelFiles.of(GoldenModel.file("checkpoints/llama/tiny"), GoldenModel.file("checkpoints/llama/tokenizer.model"),
                GoldenModel.file("checkpoints/imagebind_llm_adapter.pth"));
        try (ImageBindLLM m = ImageBindLLM.load(noMedia)) {
            Request img = Request.builder("x").add(Input.image(GoldenModel.file("inputs/image_0.png"))).build();
            assertTrue(assertThrows(IllegalStateException.class, () -> m.generate(img, null)).getMessage().contains("without an ImageBind"));
            Request cached = Request.builder("x").add(Input.embedding(new float[32])).cache(CacheSettings.ON).build();
            assertTrue(assertThrows(IllegalStateException.class, () -> m.generate(cached, null)).getMessage().contains("no cache"));
        }
        assertThrows(IllegalArgumentException.class, () -> Request.builder("x").cache(CacheSettings.ON).build());
        assertThrows(IllegalArgumentException.class, () -> Input.image(GoldenModel.file("x.png")).weight(0f));
    }
}
