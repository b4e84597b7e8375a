package io.ibllm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.tensor.DType;
import io.ibllm.tensor.Quant;
import io.ibllm.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GgufWriter entries produced while writing (TensorEncoder), and atomicity when a body fails. */
class GgufStreamingWriteTest {
    @TempDir
    Path tmp;

    private static Tensor random(long rows, long cols, long seed) {
        Random r = new Random(seed);
        float[] v = new float[(int) (rows * cols)];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return Tensor.f32(v, rows, cols);
    }

    private static GgufWriter.Entry encoded(String name, Tensor t, DType to) {
        return new GgufWriter.Entry(name, to, t.shape(), out -> TensorEncoder.write(out, t, to, n -> { }));
    }

    @Test
    void encodedTensorsReadBackAsTheQuantisersWouldWriteThem() {
        // 3 x 300000 values: more than one 256 Ki-value chunk, so chunk boundaries are crossed
        Tensor w = random(3, 300_000, 1);
        Tensor small = random(5, 7, 2);
        Path file = tmp.resolve("m.gguf");
        GgufWriter.write(file, Map.of("k", GgufValue.string("v")), List.of(encoded("q8", w, DType.Q8_0), encoded("q4", w, DType.Q4_0),
                encoded("h", small, DType.F16), encoded("f", small, DType.F32)));
        try (Gguf g = Gguf.open(file)) {
            assertArrayEquals(Quant.quantize(w, DType.Q8_0).toFloatArray(), g.get("q8").toFloatArray());
            assertArrayEquals(Quant.quantize(w, DType.Q4_0).toFloatArray(), g.get("q4").toFloatArray());
            float[] s = small.toFloatArray(), h = g.get("h").toFloatArray();
            for (int i = 0; i < s.length; i++) assertEquals(Float.float16ToFloat(Float.floatToFloat16(s[i])), h[i]);
            assertArrayEquals(s, g.get("f").toFloatArray());
            assertArrayEquals(new long[] {5, 7}, g.get("f").shape());
        }
    }

    @Test
    void aBodyThatFailsOrWritesTheWrongSizeLeavesNoFile() throws IOException {
        Path file = tmp.resolve("m.gguf");
        Tensor t = random(4, 64, 3);
        GgufWriter.Entry fails = new GgufWriter.Entry("bad", DType.F32, t.shape(), out -> {
            out.write(new byte[100]);
            throw new FormatException(Path.of("source.pth"), "truncated");
        });
        assertThrows(FormatException.class, () -> GgufWriter.write(file, Map.of(), List.of(encoded("ok", t, DType.F16), fails)));
        GgufWriter.Entry shortBody = new GgufWriter.Entry("short", DType.F32, t.shape(), out -> out.write(new byte[10]));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GgufWriter.write(file, Map.of(), List.of(shortBody)));
        assertTrue(e.getMessage().contains("short"), e.getMessage());
        assertFalse(Files.exists(file));
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(0, s.count(), "no temp file left");
        }
    }

    @Test
    void quantisedTypesNeedWholeBlocks() {
        assertFalse(TensorEncoder.canEncode(random(2, 40, 4), DType.Q8_0));
        assertTrue(TensorEncoder.canEncode(random(2, 64, 4), DType.Q4_0));
        assertThrows(IllegalArgumentException.class, () -> TensorEncoder.write(java.io.OutputStream.nullOutputStream(), random(2, 40, 4), DType.Q4_0, n -> { }));
    }
}
