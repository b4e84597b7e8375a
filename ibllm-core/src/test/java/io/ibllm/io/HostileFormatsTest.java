package io.ibllm.io;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrupt or hostile GGUF, safetensors, FAISS and .npy files: one-line errors, never OOM or crash. */
class HostileFormatsTest {
    @TempDir
    Path tmp;

    private FormatException refused(byte[] bytes, Function<Path, ? extends AutoCloseable> open) throws Exception {
        Path f = tmp.resolve("bad.bin");
        Files.write(f, bytes);
        FormatException e = assertThrows(FormatException.class, () -> open.apply(f).close());
        assertTrue(e.getMessage().startsWith(f.toString()) && !e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    private static byte[] patch(byte[] b, int at, long value, int n) {
        byte[] c = b.clone();
        for (int i = 0; i < n; i++) c[at + i] = (byte) (value >>> (8 * i));
        return c;
    }

    /** A GGUF with no metadata and one F32 [2, 32] tensor "w": its info starts at byte 24. */
    private byte[] oneTensorGguf() throws Exception {
        Path f = tmp.resolve("one.gguf");
        GgufWriter.write(f, Map.of(), Map.of("w", Tensor.allocate(DType.F32, 2, 32)));
        return Files.readAllBytes(f);
    }

    @Test
    void ggufAbsurdCountsAndOffsets() throws Exception {
        byte[] g = oneTensorGguf();
        // layout: magic 0, version 4, n_tensors 8, n_kv 16, name len 24, "w" 32, n_dims 33, ne0 37, ne1 45, type 53, offset 57
        assertTrue(refused(patch(g, 8, 1L << 60, 8), Gguf::open).getMessage().contains("tensor count"));
        assertTrue(refused(patch(g, 16, 1L << 60, 8), Gguf::open).getMessage().contains("metadata count"));
        assertTrue(refused(patch(g, 24, 1L << 40, 8), Gguf::open).getMessage().contains("length"));
        assertTrue(refused(patch(g, 33, 1000, 4), Gguf::open).getMessage().contains("dimensions"));
        assertTrue(refused(patch(g, 37, 1L << 40, 8), Gguf::open).getMessage().contains("outside the file"));
        assertTrue(refused(patch(g, 37, 1L << 62, 8), Gguf::open).getMessage().contains("overflows"));
        assertTrue(refused(patch(g, 53, 12, 4), Gguf::open).getMessage().contains("Q4_K"));
        assertTrue(refused(patch(g, 53, 999, 4), Gguf::open).getMessage().contains("999"));
        assertTrue(refused(patch(g, 57, 1L << 50, 8), Gguf::open).getMessage().contains("outside the file"));
        assertTrue(refused(patch(g, 57, 4, 8), Gguf::open).getMessage().contains("aligned"));
        assertTrue(refused(patch(g, 4, 1, 4), Gguf::open).getMessage().contains("version 1"));
        assertTrue(refused(patch(g, 4, 3L << 24, 4), Gguf::open).getMessage().contains("big-endian"));
        assertTrue(refused(patch(g, 0, 0x47475546, 4), Gguf::open).getMessage().contains("magic"));
    }

    @Test
    void ggufAbsurdArrayAndBadAlignment() throws Exception {
        Path f = tmp.resolve("arr.gguf");
        Map<String, GgufValue> meta = new LinkedHashMap<>();
        meta.put("a", GgufValue.array(GgufValue.Type.UINT32, List.of(1L, 2L)));
        GgufWriter.write(f, meta, Map.of());
        byte[] g = Files.readAllBytes(f);
        // kv at 24: key len 8, "a" 32, type 33, elem type 37, count 41
        assertTrue(refused(patch(g, 41, 1L << 61, 8), Gguf::open).getMessage().contains("array length"));
        assertTrue(refused(patch(g, 37, 77, 4), Gguf::open).getMessage().contains("element type 77"));
        assertTrue(refused(patch(g, 33, 13, 4), Gguf::open).getMessage().contains("value type 13"));
        Map<String, GgufValue> align = Map.of("general.alignment", GgufValue.u32(24));
        assertThrows(FormatException.class, () -> GgufWriter.write(tmp.resolve("a.gguf"), align, Map.of()));
    }

    @Test
    void truncatedGgufsAreRefused() throws Exception {
        byte[] g = Files.readAllBytes(Fixtures.file("reference.gguf"));
        long dataEnd;
        try (Gguf ref = Gguf.open(Fixtures.file("reference.gguf"))) {
            dataEnd = ref.offsetOf("bf16") + 2 * 3 * 2;   // the last tensor's last byte
        }
        // every cut through the fixed header, then a stride through metadata, infos and data
        for (int cut = 0; cut < dataEnd; cut += cut < 64 ? 1 : 7) refused(Arrays.copyOf(g, cut), Gguf::open);
        refused(Arrays.copyOf(g, (int) dataEnd - 1), Gguf::open);
    }

    private static byte[] safetensors(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    @Test
    void safetensorsAbsurdHeaders() throws Exception {
        assertTrue(refused(patch(safetensors("{}", 0), 0, 1L << 60, 8), Safetensors::open).getMessage().contains("header length"));
        assertTrue(refused(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4), Safetensors::open)
                .getMessage().contains("outside the data section"));
        assertTrue(refused(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,8]}}", 8),
                Safetensors::open).getMessage().contains("overflows"));
        assertTrue(refused(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), Safetensors::open)
                .getMessage().contains("needs 12"));
        assertTrue(refused(safetensors("{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8), Safetensors::open)
                .getMessage().contains("negative"));
        assertTrue(refused(safetensors("{\"w\":{\"dtype\":\"Q9\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), Safetensors::open)
                .getMessage().contains("Q9"));
        assertTrue(refused(safetensors("[" .repeat(100000), 0), Safetensors::open).getMessage().contains("JSON"));
        refused(new byte[5], Safetensors::open);
    }

    @Test
    void faissCorruptHeaders() throws Exception {
        byte[] good = Files.readAllBytes(io.ibllm.Golden.file("checkpoints/knn.index"));
        // fourcc 0, d 4, ntotal 8, dummies 16/24, is_trained 32, metric 33, n 37, data 45
        assertTrue(refused(patch(good, 0, 0x6c467749, 4), FaissIndex::open).getMessage().contains("IwFl"));
        assertTrue(refused(patch(good, 4, -5, 4), FaissIndex::open).getMessage().contains("d=-5"));
        assertTrue(refused(patch(good, 8, 1L << 40, 8), FaissIndex::open).getMessage().contains("header says"));
        assertTrue(refused(patch(patch(good, 8, 1L << 40, 8), 37, 1L << 45, 8), FaissIndex::open).getMessage().contains("impossible"));
        assertTrue(refused(patch(patch(good, 8, 1L << 62, 8), 4, 1 << 20, 4), FaissIndex::open).getMessage().contains("overflows"));
        assertTrue(refused(patch(good, 33, 1, 4), FaissIndex::open).getMessage().contains("metric_type 1"));
        for (int cut : new int[] {0, 3, 20, 44, 45, good.length - 1}) refused(Arrays.copyOf(good, cut), FaissIndex::open);
    }

    @Test
    void npyObjectAndBigEndianArraysAreRefused() {
        FormatException e = assertThrows(FormatException.class, () -> Npy.read(Fixtures.file("npy_object.npy")));
        assertTrue(e.getMessage().contains("object"), e.getMessage());
        e = assertThrows(FormatException.class, () -> Npy.read(Fixtures.file("npy_big_endian.npy")));
        assertTrue(e.getMessage().contains("big-endian"), e.getMessage());
    }

    @Test
    void npyAbsurdShapeIsRefused() throws Exception {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), }";
        byte[] h = (dict + " ".repeat(64 - (10 + dict.length() + 1) % 64) + "\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        Path f = tmp.resolve("huge.npy");
        Files.write(f, b.array());
        FormatException e = assertThrows(FormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().contains("overflow") || e.getMessage().contains("needs"), e.getMessage());
    }
}
