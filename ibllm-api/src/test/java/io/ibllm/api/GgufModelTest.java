package io.ibllm.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.FormatException;
import io.ibllm.model.ModelConverter;
import io.ibllm.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ImageBindLLM.load(gguf): a converted golden model answers as the original files, from raw media, with and without the cache. */
class GgufModelTest {
    @TempDir
    Path tmp;

    private Path convert() {
        ModelFiles f = GoldenModel.files();
        Path out = tmp.resolve("golden.gguf");
        ModelConverter.convert(new ModelConverter.Options(new io.ibllm.model.ModelFiles.Originals(f.llamaDir(), f.tokenizer(), f.adapter(),
                f.imagebind(), f.imagebindConfig()), DType.F16, DType.F32, f.cache().toString(), out), (t, done, total) -> { });
        return out;
    }

    private static long[] longs(int[] ids) { return Arrays.stream(ids).asLongStream().toArray(); }

    @Test
    void convertedModelAnswersFromRawMediaWithAndWithoutTheCache() {
        try (ImageBindLLM m = ImageBindLLM.load(convert())) {
            assertTrue(m.canEmbedMedia() && m.hasCache());
            Request.Builder base = Request.builder(GoldenModel.instruction()).sampling(Sampling.greedy(16)).addAll(GoldenModel.mixedInputs());
            assertArrayEquals(GoldenModel.ids("generate_noknn_ids.npy"), longs(m.generate(base.build(), null).ids()));
            Result knn = m.generate(Request.builder(GoldenModel.instruction()).sampling(Sampling.greedy(16)).addAll(GoldenModel.mixedInputs())
                    .cache(CacheSettings.ON).build(), null);
            assertArrayEquals(GoldenModel.ids("knn_mixed_indices.npy"), knn.neighbours().ids());
            assertArrayEquals(GoldenModel.ids("generate_knn_ids.npy"), longs(knn.ids()));
        }
    }

    @Test
    void aFileThatIsNotAConvertedModelIsAOneLineError() throws Exception {
        Path junk = tmp.resolve("junk.gguf");
        Files.writeString(junk, "GGUF but not really");
        FormatException e = assertThrows(FormatException.class, () -> ImageBindLLM.load(junk));
        assertTrue(e.getMessage().contains("junk.gguf") && e.getMessage().lines().count() == 1, e.getMessage());
        assertEquals(-1, e.getMessage().indexOf('\n'));
    }
}
