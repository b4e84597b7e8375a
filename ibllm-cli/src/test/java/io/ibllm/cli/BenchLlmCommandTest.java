package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The LLM benchmark runs and reports its fields (speed itself is never asserted). */
class BenchLlmCommandTest {
    @Test
    void miniRunReportsTokensPerSecond() {
        CliRun r = CliRun.of("bench", "llm", "--synthetic", "mini", "--type", "q4_0", "--prompt", "8", "--gen", "2", "--threads", "1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        Map<?, ?> m = (Map<?, ?>) Json.parse(r.out().strip());
        assertEquals("Q4_0", m.get("type"));
        assertTrue(((Number) m.get("prefill_tok_s")).doubleValue() > 0);
        assertTrue(((Number) m.get("decode_tok_s")).doubleValue() > 0);
    }

    @Test
    void unknownTypeIsAOneLineError() {
        CliRun r = CliRun.of("bench", "llm", "--synthetic", "7b", "--type", "q5_k");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("ibllm: --type must be"), r.err());
    }
}
