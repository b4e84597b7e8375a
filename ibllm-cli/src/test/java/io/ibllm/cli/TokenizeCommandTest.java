package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenizeCommandTest {
    static Path golden(String rel) {
        String p = System.getProperty("ibllm.golden");
        Path d = p != null && Files.isDirectory(Path.of(p)) ? Path.of(p) : Path.of("../testdata/golden");
        return d.resolve(rel);
    }

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonOutputMatchesTheGoldenSentencePieceCases() throws Exception {
        Map<String, Object> g = (Map<String, Object>) Json.parse(Files.readString(golden("tokenizer/llama_tokenizer_cases.json")));
        List<Map<String, Object>> cases = (List<Map<String, Object>>) (List<?>) g.get("cases");
        List<String> texts = cases.stream().map(c -> (String) c.get("text")).filter(t -> !t.isEmpty()).limit(8).toList();
        String[] args = new String[texts.size() + 4];
        args[0] = "tokenize"; args[1] = "--tokenizer"; args[2] = golden("checkpoints/llama/tokenizer.model").toString(); args[3] = "--json";
        for (int i = 0; i < texts.size(); i++) args[4 + i] = texts.get(i);
        Run r = run(args);
        assertEquals(0, r.code(), r.err());
        List<Map<String, Object>> rows = (List<Map<String, Object>>) Json.parse(r.out().strip());
        assertEquals(texts.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            assertEquals(texts.get(i), row.get("text"));
            Map<String, Object> want = cases.stream().filter(c -> c.get("text").equals(row.get("text"))).findFirst().orElseThrow();
            assertEquals(want.get("ids"), row.get("ids"));
            assertEquals(want.get("pieces"), row.get("pieces"));
        }
    }

    @Test
    void clipModeNeedsNoTokenizerFileAndAddsMarkersOnRequest() {
        Run r = run("tokenize", "--clip", "--bos", "--eos", "--json", "A dog.");
        assertEquals(0, r.code(), r.err());
        // spec §6.3 test vector
        assertEquals("[{\"text\":\"A dog.\",\"ids\":[49406,320,1929,269,49407],\"pieces\":[\"<|startoftext|>\",\"a</w>\",\"dog</w>\",\".</w>\",\"<|endoftext|>\"]}]",
                r.out().strip());
    }

    @Test
    void plainOutputAndErrors() throws Exception {
        Run r = run("tokenize", "--tokenizer", golden("checkpoints/llama/tokenizer.model").toString(), "--bos", "Hello world");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("ids:    1 441 491 380 448 283 273"), r.out());
        Run missing = run("tokenize", "text");
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("ibllm: --tokenizer"), missing.err());
        Path bad = Files.createTempFile("bad", ".model");
        Files.write(bad, new byte[] {0x0A, 0x7F, 1});
        Run broken = run("tokenize", "--tokenizer", bad.toString(), "x");
        assertEquals(1, broken.code());
        assertTrue(broken.err().contains(bad.toString()), broken.err());
        assertEquals(1, broken.err().lines().count());
        Files.delete(bad);
    }
}
