package io.ibllm.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class VectorSupportTest {
    @Test
    void decisionFromItsInputs() {
        assertNull(VectorSupport.problem(8, "mixed mode, sharing", "OpenJDK 64-Bit Server VM", List.of("-Xmx1g")));
        assertNotNull(VectorSupport.problem(4, "mixed mode", "OpenJDK 64-Bit Server VM", List.of()));
        assertNotNull(VectorSupport.problem(16, "interpreted mode, sharing", "OpenJDK 64-Bit Server VM", List.of()));
        assertNotNull(VectorSupport.problem(16, "mixed mode", "OpenJDK 64-Bit Zero VM", List.of()));
        assertNotNull(VectorSupport.problem(16, "mixed mode", "Server VM", List.of("-XX:TieredStopAtLevel=1")));
        assertNull(VectorSupport.problem(16, "mixed mode", "Server VM", List.of("-XX:TieredStopAtLevel=4")));
    }

    @Test
    void thisTestJvmIsFineAndWarnsNothing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        if (VectorSupport.problem() == null) {
            VectorSupport.warnIfSlow(new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals("", err.toString(StandardCharsets.UTF_8));
        }
    }

    /** A real -Xint JVM: exactly one warning line however often it is asked. */
    @Test
    void interpretedJvmWarnsOnce() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xint", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path"), VectorSupportProbe.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        long warnings = out.lines().filter(l -> l.startsWith("ibllm: warning: Vector API will not use SIMD")).count();
        assertEquals(1, warnings, out);
        assertTrue(out.contains("interpreted"), out);
    }
}
