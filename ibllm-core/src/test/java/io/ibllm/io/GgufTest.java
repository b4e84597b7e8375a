package io.ibllm.io;

import static io.ibllm.io.TensorAssert.assertBitwiseEqual;
import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GGUF against files written by llama.cpp's gguf-py (testdata/formats/make_fixtures.py). */
class GgufTest {
    @TempDir
    Path tmp;

    @Test
    void readsEveryMetadataTypeWrittenByGgufPy() {
        try (Gguf g = Gguf.open(Fixtures.file("reference.gguf"))) {
            assertEquals(3, g.version());
            assertEquals("llama", g.meta("general.architecture").asString());
            assertEquals(200, g.meta("t.u8").asLong());
            assertEquals(GgufValue.Type.UINT8, g.meta("t.u8").type());
            assertEquals(-100, g.meta("t.i8").asLong());
            assertEquals(60000, g.meta("t.u16").asLong());
            assertEquals(-30000, g.meta("t.i16").asLong());
            assertEquals(4000000000L, g.meta("t.u32").asLong());
            assertEquals(-2000000000L, g.meta("t.i32").asLong());
            assertEquals(0.1f, (Float) g.meta("t.f32").value());
            assertEquals("9223372036854775813", Long.toUnsignedString(g.meta("t.u64").asLong()));
            assertEquals(-(1L << 62), g.meta("t.i64").asLong());
            assertEquals(2.718281828459045, g.meta("t.f64").asDouble());
            assertEquals(Boolean.TRUE, g.meta("t.bool").value());
            assertEquals("héllo wörld", g.meta("t.str").asString());
            assertEquals(List.of(1L, -2L, 3L), g.meta("t.arr_i32").asList());
            assertEquals(GgufValue.Type.INT32, g.meta("t.arr_i32").elementType());
            assertEquals(List.of("a", "", "ccc"), g.meta("t.arr_str").asList());
            assertEquals(List.of(0.5f, -1.25f), g.meta("t.arr_f32").asList());
            List<?> nested = g.meta("t.arr_nested").asList();
            assertEquals(List.of(1L, 2L), ((GgufValue) nested.get(0)).asList());
            assertEquals(List.of(3L), ((GgufValue) nested.get(1)).asList());
            FormatException e = assertThrows(FormatException.class, () -> g.meta("nope"));
            assertTrue(e.getMessage().contains("nope"));
        }
    }

    @Test
    void tensorsHaveRowMajorShapesAndTheReferenceValues() {
        for (String file : List.of("reference.gguf", "reference_align64.gguf")) {
            try (Gguf g = Gguf.open(Fixtures.file(file))) {
                assertEquals(file.contains("64") ? 64 : 32, g.alignment());
                assertEquals(List.of("f32", "f16", "q8_0", "q4_0", "bf16"), List.copyOf(g.names()));
                assertArrayEquals(new long[] {3, 5}, g.get("f32").shape());
                assertArrayEquals(new long[] {4, 8}, g.get("f16").shape());
                assertArrayEquals(new long[] {2, 64}, g.get("q8_0").shape());
                assertArrayEquals(new long[] {3, 32}, g.get("q4_0").shape());
                assertArrayEquals(new long[] {2, 3}, g.get("bf16").shape());
                Map<String, DType> types = Map.of("f32", DType.F32, "f16", DType.F16, "q8_0", DType.Q8_0, "q4_0", DType.Q4_0, "bf16", DType.BF16);
                for (var e : types.entrySet()) {
                    Tensor t = g.get(e.getKey());
                    assertEquals(e.getValue(), t.dtype());
                    // gguf-py's dequantize: d * q is exact in float32, so the comparison is exact
                    assertArrayEquals(Npy.read(Fixtures.file("reference_gguf_" + e.getKey() + ".npy")).toFloatArray(), t.toFloatArray(), 0f, e.getKey());
                    assertEquals(0, g.offsetOf(e.getKey()) % g.alignment(), "data offsets are aligned");
                }
            }
        }
    }

    @Test
    void rewritingTheReferenceGivesTheSameBytesAsGgufPy() throws Exception {
        for (String file : List.of("reference.gguf", "reference_align64.gguf")) {
            Path out = tmp.resolve(file);
            try (Gguf g = Gguf.open(Fixtures.file(file))) {
                GgufWriter.write(out, g.metadata(), g.tensors());
            }
            assertArrayEquals(Files.readAllBytes(Fixtures.file(file)), Files.readAllBytes(out), file);
        }
    }

    @Test
    void roundTripOfStridedViewsRawBlocksAndArrays() {
        Path out = tmp.resolve("rt.gguf");
        Map<String, GgufValue> meta = new LinkedHashMap<>();
        meta.put("general.alignment", GgufValue.u32(16));
        meta.put("u64.max", GgufValue.u64(-1L));
        meta.put("names", GgufValue.array(GgufValue.Type.STRING, List.of("x", "yy")));
        meta.put("bytes", GgufValue.array(GgufValue.Type.UINT8, List.of(255L, 0L, 7L)));
        meta.put("d", GgufValue.array(GgufValue.Type.FLOAT64, List.of(1.5, -0.0)));
        meta.put("nest", GgufValue.array(GgufValue.Type.ARRAY, List.of(
                GgufValue.array(GgufValue.Type.BOOL, List.of(true, false)), GgufValue.array(GgufValue.Type.INT16, List.of()))));
        Tensor base = Tensor.f32(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor transposed = new Tensor(DType.F32, new long[] {3, 2}, new long[] {1, 3}, base.segment());
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("t", transposed);
        tensors.put("scalarish", Tensor.f32(new float[] {42}, 1));
        try (Gguf ref = Gguf.open(Fixtures.file("reference.gguf"))) {
            tensors.put("q8", ref.get("q8_0"));
            tensors.put("q4", ref.get("q4_0"));
            tensors.put("bf", ref.get("bf16"));
            GgufWriter.write(out, meta, tensors);
            try (Gguf g = Gguf.open(out)) {
                assertEquals(meta, g.metadata());
                assertEquals(16, g.alignment());
                assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, g.get("t").toFloatArray());
                for (String n : List.of("q8", "q4", "bf", "scalarish")) assertBitwiseEqual(n, tensors.get(n), g.get(n));
            }
        }
        assertThrows(FormatException.class, () -> GgufWriter.write(tmp.resolve("bad.gguf"), Map.of(), Map.of("x", Tensor.allocate(DType.BOOL, 2))));
        assertFalse(Files.exists(tmp.resolve("bad.gguf")), "no half-written file");
    }
}
