package io.ibllm.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Java example of README.md compiles and runs: the snippet between the markers is the README's, verbatim. */
class ReadmeExampleTest {
    // README:begin
    static Result describe(Path dir) {
        ModelPaths files = ModelPaths.of(dir.resolve("checkpoints/llama/tiny"), dir.resolve("checkpoints/llama/tokenizer.model"),
                        dir.resolve("checkpoints/imagebind_llm_adapter.pth"))
                .withImageBind(dir.resolve("checkpoints/imagebind_w3D.pth"), dir.resolve("config/golden_config.json"))
                .withCache(dir.resolve("checkpoints/knn.index"));
        try (ImageBindLLM model = ImageBindLLM.load(files)) {      // load once, share between threads
            Request request = Request.builder("Describe what you perceive in these inputs.")
                    .add(Input.image(dir.resolve("inputs/image_0.png")))
                    .add(Input.audio(dir.resolve("inputs/audio_0.wav")).weight(0.5f))
                    .cache(CacheSettings.ON)                        // k = 10, τ = 20, α = 0.5
                    .sampling(new Sampling(0.1f, 0.75f, 32, 42))    // temperature, top-p, max tokens, seed
                    .build();
            Result result = model.generate(request, (id, text) -> System.out.print(text));
            System.out.printf("%n%d tokens, %.1f tokens/s%n", result.ids().length, result.timings().decodeTokensPerSecond());
            return result;
        }
    }
    // README:end

    @Test
    void readmeSnippetIsVerbatimAndRuns() throws IOException {
        Path test = Path.of("src/test/java/io/ibllm/api/ReadmeExampleTest.java");
        List<String> lines = Files.readAllLines(test);
        List<String> snippet = lines.subList(lines.indexOf("    // README:begin") + 1, lines.indexOf("    // README:end"));
        String readme = Files.readString(GoldenModel.dir().resolve("../../README.md"));
        String expected = String.join("\n", snippet.stream().map(l -> l.length() >= 4 ? l.substring(4) : l.strip()).toList());
        assertTrue(readme.contains(expected), "README.md must hold the snippet verbatim:\n" + expected);

        Result r = describe(GoldenModel.dir());
        assertTrue(r.ids().length == 32 || r.stoppedAtEos(), "32 tokens unless the model stopped");
        // the streamed tokens are the answer of the same request without a listener
        try (ImageBindLLM model = ImageBindLLM.load(GoldenModel.files())) {
            Request same = Request.builder("Describe what you perceive in these inputs.")
                    .add(Input.image(GoldenModel.file("inputs/image_0.png")))
                    .add(Input.audio(GoldenModel.file("inputs/audio_0.wav")).weight(0.5f))
                    .cache(CacheSettings.ON).sampling(new Sampling(0.1f, 0.75f, 32, 42)).build();
            assertArrayEquals(model.generate(same, null).ids(), r.ids());
        }
    }
}
