package io.ibllm.io;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.Golden;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {
    @Test
    void sniffsByContentNotName(@TempDir Path tmp) throws Exception {
        Path pth = tmp.resolve("weights.bin");
        Files.copy(Golden.file("checkpoints/llama/tiny/consolidated.00.pth"), pth);
        Path st = tmp.resolve("weights.pth");
        Files.copy(Golden.file("checkpoints/llama/tiny/consolidated.00.safetensors"), st);
        try (TensorFile a = Checkpoints.open(pth); TensorFile b = Checkpoints.open(st)) {
            assertEquals("pytorch-zip", a.format());
            assertEquals("safetensors", b.format());
            TensorAssert.assertSameTensors(b.tensors(), a.tensors());
        }
    }

    @Test
    void unknownAndLegacyFilesAreRefused(@TempDir Path tmp) throws Exception {
        Path junk = tmp.resolve("junk.pth");
        Files.writeString(junk, "hello, world");
        FormatException e = assertThrows(FormatException.class, () -> Checkpoints.open(junk));
        assertTrue(e.getMessage().contains("unrecognised"), e.getMessage());
        Path legacy = tmp.resolve("legacy.pth");
        Files.write(legacy, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0, 0, 0, 0});
        e = assertThrows(FormatException.class, () -> Checkpoints.open(legacy));
        assertTrue(e.getMessage().contains("legacy"), e.getMessage());
        assertThrows(FormatException.class, () -> Checkpoints.open(tmp.resolve("missing.pth")));
    }
}
