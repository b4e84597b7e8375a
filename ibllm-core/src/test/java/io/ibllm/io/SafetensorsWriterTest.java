package io.ibllm.io;

import static io.ibllm.io.TensorAssert.assertSameTensors;
import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.Golden;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheSameBytesAsTheReferenceLibrary() throws Exception {
        Path ref = Fixtures.file("reference.safetensors");
        Path out = tmp.resolve("out.safetensors");
        try (Safetensors st = Safetensors.open(ref)) {
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("format", "np");
            meta.put("note", "ibllm fixture");
            assertEquals(meta, st.metadata());   // the reference keeps metadata in a hash map: keep the file's order
            // hand the tensors over in a different order: the writer must impose the reference's order
            Map<String, Tensor> shuffled = new LinkedHashMap<>();
            st.names().stream().sorted().forEach(n -> shuffled.put(n, st.get(n)));
            SafetensorsWriter.write(out, shuffled, st.metadata());
        }
        assertArrayEquals(Files.readAllBytes(ref), Files.readAllBytes(out));
    }

    @Test
    void pthConvertedToSafetensorsReadsBackIdentical() {
        Path out = tmp.resolve("w3d.safetensors");
        try (TorchCheckpoint pth = TorchCheckpoint.open(Golden.file("checkpoints/imagebind_w3D.pth"))) {
            SafetensorsWriter.write(out, pth.tensors(), Map.of("source", "imagebind_w3D.pth"));
            try (Safetensors st = Safetensors.open(out)) {
                assertSameTensors(pth.tensors(), st.tensors());
                assertEquals("imagebind_w3D.pth", st.metadata().get("source"));
                for (String n : st.names()) {
                    long elem = st.get(n).dtype().blockBytes();
                    assertEquals(0, st.offsetOf(n) % elem, n + " is aligned to its element size");
                }
            }
        }
    }

    @Test
    void stridedViewsAreWrittenInLogicalOrderAndQuantisedTensorsRefused() {
        Tensor base = Tensor.f32(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor t = new Tensor(DType.F32, new long[] {3, 2}, new long[] {1, 3}, base.segment());
        Path out = tmp.resolve("t.safetensors");
        SafetensorsWriter.write(out, Map.of("t", t));
        try (Safetensors st = Safetensors.open(out)) {
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, st.get("t").toFloatArray());
        }
        Path bad = tmp.resolve("q.safetensors");
        assertThrows(FormatException.class, () -> SafetensorsWriter.write(bad, Map.of("q", Tensor.allocate(DType.Q8_0, 32))));
        assertFalse(Files.exists(bad));
    }
}
