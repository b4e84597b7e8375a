package io.ibllm.io;

import static io.ibllm.io.TensorAssert.assertSameTensors;
import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.Golden;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TorchCheckpointTest {

    @ParameterizedTest
    @ValueSource(strings = {"checkpoints/llama/tiny/consolidated.00", "checkpoints/imagebind_llm_adapter", "checkpoints/imagebind_w3D"})
    void goldenPthEqualsItsSafetensorsTwinBitwise(String stem) throws Exception {
        try (TorchCheckpoint pth = TorchCheckpoint.open(Golden.file(stem + ".pth"));
             Safetensors st = Safetensors.open(Golden.file(stem + ".safetensors"))) {
            assertFalse(pth.names().isEmpty());
            assertSameTensors(st.tensors(), pth.tensors());
            assertTrue(pth.globals().contains("torch._utils._rebuild_tensor_v2"), pth.globals().toString());
            for (String name : pth.names()) {
                long off = pth.offsetOf(name);
                assertTrue(off > 0 && off < Files.size(pth.path()), name + " @" + off);
            }
        }
    }

    @Test
    void adapterReleaseLayoutExposesTheModelDictAndTheWholeTree() {
        Path f = Golden.file("checkpoints/imagebind_llm_adapter.pth");
        try (TorchCheckpoint c = TorchCheckpoint.open(f); TorchCheckpoint whole = TorchCheckpoint.open(f, List.of())) {
            assertInstanceOf(Map.class, c.root());
            assertEquals(List.of("model"), List.copyOf(((Map<?, ?>) c.root()).keySet()));
            for (String n : c.names()) assertTrue(whole.contains("model." + n), n);
            assertEquals(c.names().size(), whole.names().size());
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainingCheckpointWithOptimizerStateAndNamespaceLoads() throws Exception {
        Map<String, Object> stage = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>)
                ((Map<String, Object>) Json.parse(Files.readString(Golden.file("golden.json")))).get("train")).get("stages")).get("stage1");
        try (TorchCheckpoint c = TorchCheckpoint.open(Golden.file("train/stage1/checkpoint-step2.pth"))) {
            Map<String, Object> root = (Map<String, Object>) c.root();
            assertEquals(((Number) stage.get("checkpoint_epoch")).longValue(), root.get("epoch"));
            Map<String, Object> args = (Map<String, Object>) root.get("args");
            assertEquals(4L, args.get("batch_size"));
            assertEquals(0.05, (Double) args.get("weight_decay"), 0.0);
            assertTrue(c.globals().contains("argparse.Namespace"), c.globals().toString());
            Map<String, Object> opt = (Map<String, Object>) root.get("optimizer");
            Map<Object, Object> state = (Map<Object, Object>) opt.get("state");
            for (Object o : (List<Object>) stage.get("optimizer_param_index")) {
                Map<String, Object> p = (Map<String, Object>) o;
                long[] shape = ((List<Object>) p.get("shape")).stream().mapToLong(x -> ((Number) x).longValue()).toArray();
                Tensor param = c.get((String) p.get("key"));
                assertArrayEquals(shape, param.shape(), (String) p.get("key"));
                Map<String, Object> s = (Map<String, Object>) state.get(((Number) p.get("state_index")).longValue());
                assertArrayEquals(shape, ((Tensor) s.get("exp_avg")).shape());
                assertArrayEquals(shape, ((Tensor) s.get("exp_avg_sq")).shape());
                assertTrue(((Tensor) s.get("exp_avg_sq")).getFloat(0) >= 0f, "second moment is non-negative");
            }
        }
    }

    @Test
    void singleTensorPtMatchesThePreprocessedCloud() {
        try (TorchCheckpoint c = TorchCheckpoint.open(Golden.file("inputs/point_2.pt"))) {
            Tensor t = c.get("tensor");
            Tensor points = Npy.read(Golden.file("preprocess/points.npy"));   // float64 [3, N, 3], cloud 2 = this file
            long n = t.numel();
            assertEquals(3, t.dim(1));
            for (int i = 0; i < n; i++) assertEquals(points.getFloat(2 * n + i), t.getFloat(i), 0f, "element " + i);
        }
    }

    // ---- hand-made archives ----

    static byte[] tensorPickle(String storage, long numel, long offset, long[] size, long[] stride) {
        PickleBuilder p = new PickleBuilder().proto(2).op('}').str("w")
                .global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().str("storage").global("torch", storage).str("0").str("cpu").integer(numel).tuple().op('Q')
                .integer(offset).mark();
        for (long s : size) p.integer(s);
        p.tuple().mark();
        for (long s : stride) p.integer(s);
        p.tuple().op(0x89).global("collections", "OrderedDict").op(')').reduce().tuple().reduce();
        return p.op('s').stop().bytes();
    }

    static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) b.putFloat(x);
        return b.array();
    }

    static Path write(Path dir, String name, byte[] bytes) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }

    @Test
    void zip64ArchiveWithAnyFolderNameAndStridedView(@TempDir Path tmp) throws Exception {
        byte[] pkl = tensorPickle("FloatStorage", 8, 1, new long[] {3, 2}, new long[] {1, 3});
        byte[] zip = new ZipBuilder().put("any name/data.pkl", pkl).put("any name/data/0", floats(0, 1, 2, 3, 4, 5, 6, 7))
                .put("any name/version", "3\n".getBytes()).zip64().bytes();
        try (TorchCheckpoint c = TorchCheckpoint.open(write(tmp, "z.pth", zip))) {
            Tensor w = c.get("w");
            assertArrayEquals(new long[] {3, 2}, w.shape());
            // element [i][j] = storage[1 + i + 3j]: a transposed view with offset 1
            assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, w.toFloatArray());
        }
    }

    @Test
    void everyStorageTypeMapsToItsDtype(@TempDir Path tmp) throws Exception {
        byte[] raw = {1, 0, 0, 0, 0, 0, (byte) 0xF0, 0x3F};   // little-endian bytes; as float64: 1.0 at element 0
        Map<String, DType> types = Map.of("HalfStorage", DType.F16, "FloatStorage", DType.F32, "BFloat16Storage", DType.BF16,
                "DoubleStorage", DType.F64, "LongStorage", DType.I64, "IntStorage", DType.I32, "ShortStorage", DType.I16,
                "CharStorage", DType.I8, "ByteStorage", DType.U8, "BoolStorage", DType.BOOL);
        for (var e : types.entrySet()) {
            int elem = e.getValue().blockBytes();
            byte[] pkl = tensorPickle(e.getKey(), 8 / elem, 0, new long[] {8 / elem}, new long[] {1});
            Path f = write(tmp, e.getKey() + ".pth", new ZipBuilder().put("x/data.pkl", pkl).put("x/data/0", raw).bytes());
            try (TorchCheckpoint c = TorchCheckpoint.open(f)) {
                Tensor t = c.get("w");
                assertEquals(e.getValue(), t.dtype(), e.getKey());
                assertArrayEquals(raw, TensorAssert.logicalBytes(t), e.getKey());
            }
        }
        try (TorchCheckpoint c = TorchCheckpoint.open(write(tmp, "d.pth", new ZipBuilder()
                .put("x/data.pkl", tensorPickle("DoubleStorage", 1, 0, new long[] {}, new long[] {})).put("x/data/0", raw).bytes()))) {
            assertEquals(1.0f, c.get("w").getFloat(0));
            assertEquals(0, c.get("w").rank());
        }
    }

    @Test
    void parametersAndSharedStoragesAndNestedContainers(@TempDir Path tmp) throws Exception {
        // {'a': [Parameter(t0), {'b': t1}], 'n': 3}: t0 = storage[0:2], t1 = storage[2:4] of ONE storage
        PickleBuilder p = new PickleBuilder().proto(2).op('}').str("a").op(']').mark()
                .global("torch._utils", "_rebuild_parameter");
        rebuild(p, 0).op(0x88).op('}').op(0x87).reduce()
                .op('}').str("b");
        rebuild(p, 2).op('s').op('e').op('s').str("n").integer(3).op('s');
        byte[] zip = new ZipBuilder().put("x/data.pkl", p.stop().bytes()).put("x/data/0", floats(1, 2, 3, 4)).bytes();
        try (TorchCheckpoint c = TorchCheckpoint.open(write(tmp, "p.pth", zip))) {
            assertEquals(List.of("a.0", "a.1.b"), List.copyOf(c.names()));
            assertArrayEquals(new float[] {1, 2}, c.get("a.0").toFloatArray());
            assertArrayEquals(new float[] {3, 4}, c.get("a.1.b").toFloatArray());
            assertEquals(c.offsetOf("a.0") + 8, c.offsetOf("a.1.b"), "views of one mapped storage");
            assertEquals(3L, ((Map<?, ?>) c.root()).get("n"));
        }
    }

    /** Pushes _rebuild_tensor_v2(storage 0 of 4 floats, offset, (2,), (1,), False, OrderedDict()). */
    private static PickleBuilder rebuild(PickleBuilder p, long offset) {
        return p.global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(4).tuple().op('Q')
                .integer(offset).mark().integer(2).tuple().mark().integer(1).tuple().op(0x89)
                .global("collections", "OrderedDict").op(')').reduce().tuple().reduce();
    }

    /** A 5 GiB archive, mostly a hole on disk: ZIP64 offsets and sizes past 4 GiB, mapped in place. */
    @Test
    void storagesBeyondFourGibibytes(@TempDir Path tmp) throws Exception {
        long numel = (5L << 30) / 4;
        byte[] pkl = new PickleBuilder().proto(2).op('}')
                .str("tail").global("torch._utils", "_rebuild_tensor_v2").mark()
                .mark().str("storage").global("torch", "FloatStorage").str("0").str("cpu").integer(numel).tuple().op('Q')
                .integer(numel - 2).mark().integer(2).tuple().mark().integer(1).tuple().op(0x89).op('}').tuple().reduce().op('s')
                .stop().bytes();
        Path f = tmp.resolve("big.pth");
        new ZipBuilder().put("big/data.pkl", pkl).putSparse("big/data/0", numel * 4, floats(9), floats(-1.5f, 2.5f)).zip64().write(f);
        try (TorchCheckpoint c = TorchCheckpoint.open(f)) {
            assertArrayEquals(new float[] {-1.5f, 2.5f}, c.get("tail").toFloatArray());
            assertTrue(c.offsetOf("tail") > (5L << 30), "offset " + c.offsetOf("tail"));
        }
    }

    @Test
    void tensorOutsideItsStorageIsRefused(@TempDir Path tmp) throws Exception {
        byte[] pkl = tensorPickle("FloatStorage", 8, 3, new long[] {3, 2}, new long[] {2, 1});
        byte[] zip = new ZipBuilder().put("a/data.pkl", pkl).put("a/data/0", floats(0, 1, 2, 3, 4, 5, 6, 7)).bytes();
        FormatException e = assertThrows(FormatException.class, () -> TorchCheckpoint.open(write(tmp, "o.pth", zip)));
        assertTrue(e.getMessage().contains("outside storage"), e.getMessage());
    }

    @Test
    void storageNumelBeyondItsEntryIsRefused(@TempDir Path tmp) throws Exception {
        byte[] pkl = tensorPickle("FloatStorage", 1L << 40, 0, new long[] {2}, new long[] {1});
        byte[] zip = new ZipBuilder().put("a/data.pkl", pkl).put("a/data/0", floats(0, 1)).bytes();
        FormatException e = assertThrows(FormatException.class, () -> TorchCheckpoint.open(write(tmp, "n.pth", zip)));
        assertTrue(e.getMessage().contains("storage '0'") && e.getMessage().contains("8 bytes"), e.getMessage());
        byte[] missing = new ZipBuilder().put("a/data.pkl", tensorPickle("FloatStorage", 2, 0, new long[] {2}, new long[] {1})).bytes();
        e = assertThrows(FormatException.class, () -> TorchCheckpoint.open(write(tmp, "m.pth", missing)));
        assertTrue(e.getMessage().contains("data/0"), e.getMessage());
    }

    @Test
    void truncatedCheckpointsGiveOneLineErrors(@TempDir Path tmp) throws Exception {
        byte[] good = Files.readAllBytes(Golden.file("checkpoints/llama/tiny/consolidated.00.pth"));
        for (int cut : new int[] {0, 3, 21, 100, good.length / 2, good.length - 30, good.length - 1}) {
            byte[] b = java.util.Arrays.copyOf(good, cut);
            Path f = write(tmp, "t" + cut + ".pth", b);
            FormatException e = assertThrows(FormatException.class, () -> TorchCheckpoint.open(f), "cut at " + cut);
            assertTrue(e.getMessage().startsWith(f.toString()) && !e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void corruptedPicklesNeverEscapeAsOtherExceptions(@TempDir Path tmp) throws Exception {
        byte[] good = Files.readAllBytes(Golden.file("inputs/point_2.pt"));
        long pklStart;
        long pklSize;
        try (Mapped m = Mapped.open(Golden.file("inputs/point_2.pt"))) {
            ZipDirectory.Entry e = ZipDirectory.read(m).entries().get("point_2/data.pkl");
            pklStart = e.offset();
            pklSize = e.size();
        }
        java.util.Random rnd = new java.util.Random(42);
        Path f = tmp.resolve("fuzz.pt");
        for (int trial = 0; trial < 300; trial++) {
            byte[] b = good.clone();
            int at = (int) (pklStart + rnd.nextInt((int) pklSize));
            b[at] = (byte) rnd.nextInt(256);
            Files.write(f, b);
            try (TorchCheckpoint c = TorchCheckpoint.open(f)) {
                assertNotNull(c.root());
            } catch (FormatException expected) {
                assertFalse(expected.getMessage().contains("\n"));
            }
        }
    }

    @Test
    void legacyFormatIsRefusedWithAHint(@TempDir Path tmp) throws Exception {
        byte[] legacy = {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19, '.'};
        FormatException e = assertThrows(FormatException.class, () -> TorchCheckpoint.open(write(tmp, "old.pth", legacy)));
        assertTrue(e.getMessage().contains("legacy") && e.getMessage().contains("re-save"), e.getMessage());
    }
}
