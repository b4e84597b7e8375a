package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code ibllm demo} runs every stage on the shipped files. */
class DemoCommandTest {
    @Test
    void demoRunsEveryStageAndSaysTheWeightsAreRandom() {
        CliRun r = CliRun.of("demo", "--max-tokens", "4");
        assertEquals(0, r.exitCode(), r.err());
        for (String stage : new String[] {"RANDOM", "1. Model loaded", "2. Inputs", "3. How alike", "5. Answer", "cache neighbours", "6. Timings"}) {
            assertTrue(r.out().contains(stage), "missing \"" + stage + "\" in\n" + r.out());
        }
        assertEquals(DemoCommand.DemoFiles.inputs(CliRun.golden("")).size(), r.out().lines().filter(l -> l.startsWith("   [")).count(), r.out());
    }

    @Test
    void missingDemoFolderIsOneLineError() {
        CliRun r = CliRun.of("demo", "--dir", "/no/such/folder");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith("ibllm: /no/such/folder"), r.err());
    }
}
