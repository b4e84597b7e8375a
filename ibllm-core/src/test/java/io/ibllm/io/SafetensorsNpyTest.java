package io.ibllm.io;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.Golden;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsNpyTest {
    @Test
    void readsGoldenLlamaSafetensors() {
        try (Safetensors st = Safetensors.open(Golden.file("checkpoints/llama/tiny/consolidated.00.safetensors"))) {
            Tensor emb = st.get("tok_embeddings.weight");
            assertEquals(DType.F16, emb.dtype());
            assertArrayEquals(new long[] {512, 64}, emb.shape());
            assertTrue(Float.isFinite(emb.getFloat(0)));
            FormatException e = assertThrows(FormatException.class, () -> st.get("nope"));
            assertTrue(e.getMessage().contains("nope"));
        }
    }

    @Test
    void npyRoundTrip(@TempDir Path tmp) {
        Path f = tmp.resolve("a.npy");
        float[] v = {1f, -2.5f, 3.25f, 0f, 7f, 8f};
        Npy.writeF32(f, v, 2, 3);
        Tensor t = Npy.read(f);
        assertArrayEquals(new long[] {2, 3}, t.shape());
        assertArrayEquals(v, t.toFloatArray());
    }

    @Test
    void npyObjectArrayRefused(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("o.npy");
        String dict = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }";
        byte[] h = (dict + " ".repeat(64 - (10 + dict.length() + 1) % 64) + "\n").getBytes();
        byte[] all = new byte[10 + h.length + 8];
        all[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(), 0, all, 1, 5);
        all[6] = 1;
        all[8] = (byte) h.length;
        System.arraycopy(h, 0, all, 10, h.length);
        Files.write(f, all);
        FormatException e = assertThrows(FormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("object"), e.getMessage());
    }

    @Test
    void goldenNpyMatchesManifestShape() {
        Tensor t = Npy.read(Golden.file("outputs/llm/prompt_ids.npy"));
        assertEquals(DType.I64, t.dtype());
        assertEquals(2, t.rank());
        assertEquals(1, t.dim(0));
        assertEquals(1, t.getLong(0), "prompt starts with BOS");
    }
}
