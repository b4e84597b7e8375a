package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.io.Safetensors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resume is exact: 4 steps straight and 2 + resume + 2 give bitwise-identical adapters, with
 * shuffling and random crops on; an interrupted checkpoint swap still resumes.
 */
class TrainResumeTest {
    @TempDir Path dir;

    private List<String> args(Path out, int steps) throws Exception {
        String text = Files.readString(TrainCommandTest.golden("train/finetune_meta.json"))
                .replace("inputs/", TrainCommandTest.golden("inputs").toString() + "/");
        Path data = dir.resolve("data.json");
        Files.writeString(data, text);
        return new ArrayList<>(List.of("train", "--stage", "finetune",
                "--llama-dir", TrainCommandTest.golden("checkpoints/llama/tiny").toString(),
                "--tokenizer", TrainCommandTest.golden("checkpoints/llama/tokenizer.model").toString(),
                "--imagebind", TrainCommandTest.golden("checkpoints/imagebind_w3D.pth").toString(),
                "--imagebind-config", TrainCommandTest.golden("config/golden_config.json").toString(),
                "--init", TrainCommandTest.golden("checkpoints/imagebind_llm_adapter.pth").toString(),
                "--data", data.toString(), "--out", out.toString(), "--batch-size", "1", "--epochs", "2", "--warmup-epochs", "1",
                "--max-words", "200", "--seed", "7", "--steps", String.valueOf(steps)));
    }

    @Test
    void straightAndResumedRunsAreBitwiseEqual() throws Exception {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        assertEquals(0, Main.run(args(a, 4).toArray(String[]::new)));
        assertEquals(0, Main.run(args(b, 2).toArray(String[]::new)));
        assertEquals(0, Main.run("train", "--resume", b.toString(), "--steps", "4"));
        try (Safetensors x = Safetensors.open(a.resolve("adapter.safetensors"));
             Safetensors y = Safetensors.open(b.resolve("adapter.safetensors"));
             Safetensors start = Safetensors.open(TrainCommandTest.golden("checkpoints/imagebind_llm_adapter.safetensors"))) {
            assertEquals(x.names(), y.names());
            boolean changed = false;
            for (String k : x.names()) {
                assertArrayEquals(x.get(k).toFloatArray(), y.get(k).toFloatArray(), 0f, k);
                changed |= !java.util.Arrays.equals(x.get(k).toFloatArray(), start.get(k).toFloatArray());
            }
            assertTrue(changed, "training changed the adapter");
        }
        assertEquals(4, Files.readAllLines(b.resolve("log.jsonl")).size());
    }

    @Test
    void interruptedCheckpointSwapStillResumes() throws Exception {
        Path out = dir.resolve("c");
        assertEquals(0, Main.run(args(out, 1).toArray(String[]::new)));
        // A kill between the two renames of a save leaves only checkpoint.old and a partial tmp.
        Files.move(out.resolve("checkpoint"), out.resolve("checkpoint.old"));
        Files.createDirectories(out.resolve("checkpoint.tmp"));
        Files.writeString(out.resolve("checkpoint.tmp/params.safetensors"), "partial");
        assertEquals(0, Main.run("train", "--resume", out.toString(), "--steps", "2"));
        assertTrue(Files.exists(out.resolve("checkpoint/state.json")));
        assertFalse(Files.exists(out.resolve("checkpoint.tmp")));
        assertFalse(Files.exists(out.resolve("checkpoint.old")));
    }
}
