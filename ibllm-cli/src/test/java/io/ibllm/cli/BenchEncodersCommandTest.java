package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code ibllm bench encoders} runs on a small config and refuses unknown towers (no timing asserted). */
class BenchEncodersCommandTest {
    private static final Path CONFIG = Path.of(System.getProperty("ibllm.golden", "../testdata/golden"), "config/golden_config.json");

    private static String run(int expectedRc, String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream cap = new PrintStream(buf, true, StandardCharsets.UTF_8);
        try {
            System.setOut(cap);
            System.setErr(cap);
            assertEquals(expectedRc, Main.run(args), buf::toString);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void timesTheRequestedTowers() {
        String out = run(0, "bench", "encoders", "--imagebind-config", CONFIG.toString(), "--towers", "imu", "--iters", "1");
        assertTrue(out.contains("imu ") && out.contains("[1, 6, 2000]") && out.contains(" ms"), out);
    }

    @Test
    void jsonReportsEachTowerPerItem() {
        String out = run(0, "bench", "encoders", "--imagebind-config", CONFIG.toString(), "--towers", "imu,text", "--batch", "2",
                "--iters", "1", "--threads", "1", "--json");
        java.util.Map<?, ?> r = (java.util.Map<?, ?>) io.ibllm.io.Json.parse(out.strip());
        assertEquals(1, ((Number) r.get("threads")).intValue());
        java.util.List<?> towers = (java.util.List<?>) r.get("towers");
        assertEquals(2, towers.size());
        for (Object o : towers) {
            java.util.Map<?, ?> t = (java.util.Map<?, ?>) o;
            assertEquals(2, ((Number) t.get("items")).intValue(), t.toString());
            assertEquals(2L, ((Number) ((java.util.List<?>) t.get("input")).get(0)).longValue(), "batch of 2: " + t);
            double ms = ((Number) t.get("ms")).doubleValue();
            assertTrue(ms > 0, t.toString());
            assertEquals(ms / 2, ((Number) t.get("ms_per_item")).doubleValue(), 1e-9 * ms);
            assertEquals(2000 / ms, ((Number) t.get("items_per_s")).doubleValue(), 1e-9 * (2000 / ms));
        }
        assertTrue(((Number) r.get("peak_rss_bytes")).longValue() != 0);
    }

    @Test
    void unknownTowerIsAnError() {
        String out = run(1, "bench", "encoders", "--towers", "smell");
        assertTrue(out.contains("ibllm: --towers: unknown tower \"smell\""), out);
    }
}
