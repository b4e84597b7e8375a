package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.Json;
import io.ibllm.tokenizer.SentencePieceModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory benchmark writes, converts and answers twice in child JVMs; the 7B plan has the official sizes. */
class BenchMemoryCommandTest {
    @TempDir
    Path tmp;

    @Test
    void tinyRunReportsMemoryAndTimes() throws Exception {
        Path dir = tmp.resolve("files");
        CliRun r = CliRun.of("bench", "memory", "--synthetic", "tiny", "--dir", dir.toString(), "--max-tokens", "2", "--json");
        assertEquals(0, r.exitCode(), r.err());
        Map<?, ?> m = (Map<?, ?>) Json.parse(r.out().strip());
        assertTrue(((Number) m.get("convert_s")).doubleValue() > 0);
        Map<?, ?> files = (Map<?, ?>) m.get("files_bytes");
        for (String f : new String[] {"llama/7B/consolidated.00.pth", "llama/7B/params.json", "tokenizer.model", "7B.pth", "imagebind_w3D.pth", "model-q4_0.gguf"}) {
            assertTrue(files.containsKey(f), f);
            assertEquals(((Number) files.get(f)).longValue(), Files.size(dir.resolve(f)), f);
        }
        Map<String, Long> planned = new SyntheticOriginals(SyntheticOriginals.tiny()).plannedBytes(dir);
        planned.forEach((f, b) -> assertEquals(b, ((Number) files.get(f)).longValue(), f));
        assertEquals(512, SentencePieceModel.read(dir.resolve("tokenizer.model")).pieces().size());
        for (String k : new String[] {"gguf", "pth"}) {
            Map<?, ?> run = (Map<?, ?>) m.get(k);
            assertTrue(((Number) run.get("peak_rss_bytes")).longValue() > 0, k);
            assertTrue(((Number) run.get("heap_max_bytes")).longValue() > 0, k);
            double first = ((Number) run.get("first_token_s")).doubleValue(), total = ((Number) run.get("total_s")).doubleValue();
            assertTrue(first > 0 && first <= total, k + ": first token " + first + " s, total " + total + " s");
            assertTrue(((Number) run.get("load_s")).doubleValue() > 0, k);
            assertTrue(((Number) run.get("prefill_s")).doubleValue() > 0, k);
        }
        Map<?, ?> gguf = (Map<?, ?>) m.get("gguf");
        assertEquals(8L << 30, ((Number) gguf.get("target_peak_rss_bytes")).longValue());
        assertTrue(((Number) gguf.get("peak_rss_ratio")).doubleValue() > 0);
    }

    @Test
    void sevenBPlanHasTheOfficialFileSizes() {
        Map<String, Long> b = new SyntheticOriginals(SyntheticOriginals.llama7b()).plannedBytes(Path.of("/nowhere"));
        // Meta's 7B consolidated.00.pth is 13,476,839,424 bytes of fp16 weights (+ rope.freqs, not written here)
        assertEquals(13.477e9, b.get("llama/7B/consolidated.00.pth"), 0.01e9);
        assertEquals(2_598_651_904L, b.get("7B.pth"), 3e6); // spec §2.8: the stable 7B.pth, 2.6 GB
        assertEquals(4.89e9, b.get("imagebind_w3D.pth"), 0.05e9); // spec §9: 4.89 GB
        byte[] sp = new SyntheticOriginals(SyntheticOriginals.llama7b()).tokenizer();
        assertEquals(32000, SentencePieceModel.parse(sp, Path.of("tokenizer.model")).pieces().size());
    }

    @Test
    void badInputIsAOneLineErrorNamingTheOption() throws Exception {
        CliRun r = CliRun.of("bench", "memory", "--synthetic", "13b");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("ibllm: --synthetic must be 7b or tiny"), r.err());
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        r = CliRun.of("bench", "memory", "--synthetic", "tiny", "--dir", file.resolve("sub").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("ibllm: --dir ") && r.err().strip().lines().count() == 1, r.err());
    }
}
