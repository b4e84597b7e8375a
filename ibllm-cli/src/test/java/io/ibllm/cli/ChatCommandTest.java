package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.api.CacheSettings;
import io.ibllm.api.ImageBindLLM;
import io.ibllm.api.Input;
import io.ibllm.api.Request;
import io.ibllm.api.Sampling;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code ibllm chat} scripted through stdin on the golden tiny model. */
class ChatCommandTest {
    static String g(String rel) { return CliRun.golden(rel).toString(); }

    static CliRun chat(String script, String... extra) {
        InputStream old = System.in;
        try {
            System.setIn(new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)));
            String[] base = {"chat", "--llama-dir", g("checkpoints/llama/tiny"), "--tokenizer", g("checkpoints/llama/tokenizer.model"),
                    "--adapter", g("checkpoints/imagebind_llm_adapter.pth"), "--imagebind", g("checkpoints/imagebind_w3D.pth"),
                    "--imagebind-config", g("config/golden_config.json"), "--cache", g("checkpoints/knn.index"),
                    "--temperature", "0", "--max-tokens", "8"};
            String[] args = new String[base.length + extra.length];
            System.arraycopy(base, 0, args, 0, base.length);
            System.arraycopy(extra, 0, args, base.length, extra.length);
            return CliRun.of(args);
        } finally {
            System.setIn(old);
        }
    }

    /** What the API answers for the same weighted image and question, without and with the cache (the chat must print exactly this). */
    static String[] apiAnswers(String question, Path image, float weight) {
        try (ImageBindLLM m = ImageBindLLM.load(DemoCommand.DemoFiles.model(CliRun.golden("")))) {
            String[] out = new String[2];
            for (int c = 0; c < 2; c++) {
                Request.Builder b = Request.builder(question).add(Input.image(image).weight(weight)).sampling(Sampling.greedy(8));
                out[c] = m.generate(b.cache(c == 0 ? CacheSettings.OFF : CacheSettings.ON).build(), null).text();
            }
            return out;
        }
    }

    @Test
    void scriptedSessionAddsListsAnswersAndQuits() {
        Path image = CliRun.golden("inputs/image_0.png");
        CliRun r = chat("/help\n/image " + image + " 0.5\n/inputs\nWhat is in the picture?\n/cache on\nWhat is in the picture?\n/quit\nnever read\n");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("single turns"), "help says the model is single-turn");
        assertTrue(r.out().contains("1. image " + image + " (weight 0.5)"), r.out());
        String[] answers = apiAnswers("What is in the picture?", image, 0.5f);
        String plain = answers[0], cached = answers[1];
        assertTrue(!plain.equals(cached), "the cache changes this answer");
        int first = r.out().indexOf(plain + "\n[8 tokens");
        int second = r.out().indexOf(cached + "\n[8 tokens");
        assertTrue(first > 0 && second > first, "both answers streamed in order: " + r.out());
    }

    @Test
    void badLinesAreReportedAndTheSessionGoesOn() {
        CliRun r = chat("/image /no/such.png\n/cache maybe\n/frobnicate\n/text\n/clear\n/inputs\n");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("ibllm: /no/such.png: no such file"), r.out());
        assertTrue(r.out().contains("ibllm: /cache takes on or off"), r.out());
        assertTrue(r.out().contains("ibllm: unknown command /frobnicate"), r.out());
        assertTrue(r.out().contains("ibllm: /text needs a text"), r.out());
        assertTrue(r.out().contains("no inputs"), r.out());
    }
}
