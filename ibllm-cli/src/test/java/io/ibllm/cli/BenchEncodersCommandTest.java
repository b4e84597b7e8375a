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
    void unknownTowerIsAnError() {
        String out = run(1, "bench", "encoders", "--towers", "smell");
        assertTrue(out.contains("ibllm: --towers: unknown tower \"smell\""), out);
    }
}
