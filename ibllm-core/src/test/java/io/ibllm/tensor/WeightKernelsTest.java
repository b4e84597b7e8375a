package io.ibllm.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every weight dtype: SIMD kernels against their scalar twins and against Tensor.getFloat. */
class WeightKernelsTest {
    private static final int[] FLOAT_COLS = {1, 7, Simd.L, Simd.L * 4 + 3, 101};
    private static final int[] BLOCK_COLS = {32, 64, 96, 32 * 9};

    private static int[] colsFor(DType dt) { return dt.isQuantized() ? BLOCK_COLS : FLOAT_COLS; }

    static Tensor weight(DType dt, int rows, int cols, long seed) {
        return SyntheticWeights.tensor(dt, rows, cols, 1f, seed);
    }

    /** Σ|w·x| over a row: the scale of rounding differences between summation orders. */
    private static float magnitude(Tensor w, int row, float[] x, int xOff, int n) {
        float m = 0f;
        for (int i = 0; i < n; i++) m += Math.abs(w.getFloat((long) row * n + i) * x[xOff + i]);
        return m;
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void matvecAgreesWithScalarTwinAndNaive(DType dt) {
        for (int cols : colsFor(dt)) {
            int rows = 11;
            Tensor t = weight(dt, rows, cols, cols);
            PackedWeight w = PackedWeight.pack(t);
            float[] x = SyntheticWeights.vector(cols + 3, 2f, 99 + cols);
            float[] fast = new float[rows + 2], twin = new float[rows + 2];
            w.kernels.matvec(w, x, 3, fast, 2, 0, rows);
            w.kernels.matvecScalar(w, x, 3, twin, 2, 0, rows);
            for (int r = 0; r < rows; r++) {
                float naive = Ops.dotRow(t, r, x, 3, cols);
                float tol = 1e-5f * magnitude(t, r, x, 3, cols) + 1e-30f;
                assertEquals(twin[r + 2], fast[r + 2], tol, dt + " cols=" + cols + " row " + r + " SIMD vs scalar twin");
                assertEquals(naive, twin[r + 2], tol, dt + " cols=" + cols + " row " + r + " packed twin vs getFloat");
            }
        }
    }

    /** The repacking runs on the pool's threads, except for memory only the caller may read. */
    @ParameterizedTest
    @EnumSource(names = {"Q8_0", "Q4_0"})
    void packingFromAConfinedArena(DType dt) {
        PackedWeight fromConfined = SyntheticWeights.packed(dt, 64, 96, 1f, 21);
        PackedWeight fromShared = PackedWeight.pack(weight(dt, 64, 96, 21));
        float[] a = new float[96], b = new float[96];
        for (int r = 0; r < 64; r++) {
            fromConfined.kernels.dequantRowScalar(fromConfined, r, 0, 96, a, 0);
            fromShared.kernels.dequantRowScalar(fromShared, r, 0, 96, b, 0);
            org.junit.jupiter.api.Assertions.assertArrayEquals(b, a, dt + " row " + r);
        }
    }

    /** Packing gives a mapped source's pages back (unload); the copy and the source keep their values. */
    @ParameterizedTest
    @EnumSource(names = {"F16", "Q8_0", "Q4_0"})
    void packingAMappedWeightKeepsItsValues(DType dt, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        int rows = 5, cols = 64;
        Tensor t = weight(dt, rows, cols, 17);
        java.nio.file.Path file = dir.resolve("w.bin");
        java.nio.file.Files.write(file, t.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        try (io.ibllm.io.Mapped m = io.ibllm.io.Mapped.open(file)) {
            Tensor mapped = Tensor.of(dt, new long[] {rows, cols}, m.slice(0, m.size(), "weight"));
            PackedWeight w = PackedWeight.pack(mapped);
            float[] row = new float[cols];
            for (int r = 0; r < rows; r++) {
                w.kernels.dequantRowScalar(w, r, 0, cols, row, 0);
                for (int i = 0; i < cols; i++) {
                    float want = t.getFloat((long) r * cols + i);
                    assertEquals(want, row[i], 0f, dt + " packed [" + r + "," + i + "]");
                    assertEquals(want, mapped.getFloat((long) r * cols + i), 0f, dt + " source after unload [" + r + "," + i + "]");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void dequantRowIsExact(DType dt) {
        for (int cols : colsFor(dt)) {
            Tensor t = weight(dt, 3, cols, 5 + cols);
            PackedWeight w = PackedWeight.pack(t);
            int k0 = dt.isQuantized() && cols > 32 ? 32 : 0;
            int len = cols - k0;
            float[] fast = new float[len + 1], twin = new float[len + 1];
            w.kernels.dequantRow(w, 2, k0, len, fast, 1);
            w.kernels.dequantRowScalar(w, 2, k0, len, twin, 1);
            for (int i = 0; i < len; i++) {
                float expected = t.getFloat(2L * cols + k0 + i);
                assertEquals(expected, twin[i + 1], 0f, dt + " twin at " + i);
                assertEquals(expected, fast[i + 1], 0f, dt + " SIMD at " + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void opsMatmulMatchesNaiveForOneAndManyRows(DType dt) {
        int out = 2 * Gemm.NR + 5, in = dt.isQuantized() ? 288 : 263;  // k crosses the KC=256 block
        Tensor t = weight(dt, out, in, 17);
        for (int rows : new int[] {1, 2, 7, 13}) {
            float[] x = SyntheticWeights.vector(rows * in, 1f, rows);
            float[] viaTensor = new float[rows * out], viaPacked = new float[rows * out];
            Ops.matmul(t, x, rows, viaTensor);
            Ops.matmul(PackedWeight.pack(t), x, rows, viaPacked);
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    float naive = Ops.dotRow(t, o, x, r * in, in);
                    float tol = 1e-5f * magnitude(t, o, x, r * in, in);
                    assertEquals(naive, viaTensor[r * out + o], tol, dt + " rows=" + rows + " [" + r + "," + o + "]");
                    assertEquals(viaTensor[r * out + o], viaPacked[r * out + o], tol);
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void nonContiguousWeightFallsBackToACopy() {
        int out = 9, in = 20;
        Tensor base = weight(DType.F32, in, out, 3);           // [in, out]
        Tensor transposed = new Tensor(DType.F32, new long[] {out, in}, new long[] {1, out}, base.segment());
        float[] x = SyntheticWeights.vector(2 * in, 1f, 4);
        float[] y = new float[2 * out];
        Ops.matmul(transposed, x, 2, y);
        for (int r = 0; r < 2; r++) {
            for (int o = 0; o < out; o++) {
                float expected = 0f;
                for (int i = 0; i < in; i++) expected += base.getFloat((long) i * out + o) * x[r * in + i];
                assertEquals(expected, y[r * out + o], 1e-4f);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void packedQuantLayoutIsStructOfArraysAndAligned() {
        Tensor t = weight(DType.Q8_0, 4, 64, 8);
        PackedWeight w = PackedWeight.pack(t);
        assertEquals(0, w.data.address() % 64);
        assertEquals(0, w.scales.address() % 64);
        assertEquals(t.segment().byteSize(), w.byteSize(), "same bytes as GGML blocks, just rearranged");
        MemorySegment src = t.segment();
        // block 5 = row 2, second block: scale and quants moved, not changed
        assertEquals(src.get(Tensor.I16_LE, 5 * 34), w.scales.get(Tensor.I16_LE, 5 * 2));
        for (int j = 0; j < 32; j++) assertEquals(src.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 5 * 34 + 2 + j),
                w.data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 5 * 32 + j));
    }

    @org.junit.jupiter.api.Test
    void f16ConversionHandlesSubnormalsInfAndNaN() {
        short[] halves = {0x0001, (short) 0x8001, 0x03FF, 0x0400, 0x3C00, (short) 0xC000, 0x7BFF, 0x7C00,
                (short) 0xFC00, 0x7E00, 0x0000, (short) 0x8000, 0x3555, 0x1234, 0x5678, (short) 0x9ABC};
        Tensor t = Tensor.allocate(DType.F16, 1, halves.length);
        for (int i = 0; i < halves.length; i++) t.segment().set(Tensor.I16_LE, 2L * i, halves[i]);
        PackedWeight w = PackedWeight.pack(t);
        float[] fast = new float[halves.length];
        w.kernels.dequantRow(w, 0, 0, halves.length, fast, 0);
        for (int i = 0; i < halves.length; i++) {
            float expected = Float.float16ToFloat(halves[i]);
            assertTrue(Float.compare(expected, fast[i]) == 0 || (Float.isNaN(expected) && Float.isNaN(fast[i])),
                    "half 0x" + Integer.toHexString(halves[i] & 0xFFFF) + ": " + expected + " vs " + fast[i]);
        }
    }

    @org.junit.jupiter.api.Test
    void f16WeightWithInfinityTakesTheExactPath() {
        Tensor t = weight(DType.F16, 6, 40, 21);
        t.segment().set(Tensor.I16_LE, 2L * (40 + 3), (short) 0x7C00);   // +inf at row 1, col 3
        PackedWeight w = PackedWeight.pack(t);
        assertTrue(w.specialHalves);
        float[] x = SyntheticWeights.vector(40, 1f, 2);
        x[3] = 0.5f;
        float[] y = new float[6];
        Ops.matmul(w, x, 1, y);
        assertEquals(Float.POSITIVE_INFINITY, y[1]);
        for (int r : new int[] {0, 2, 5}) assertEquals(Ops.dotRow(t, r, x, 0, 40), y[r], 1e-4f);
        assertTrue(!PackedWeight.pack(weight(DType.F16, 6, 40, 21)).specialHalves);
    }

    @org.junit.jupiter.api.Test
    void randomShapesAgree() {
        SplittableRandom rnd = new SplittableRandom(1);
        for (int trial = 0; trial < 6; trial++) {
            int rows = 1 + rnd.nextInt(20), cols = 32 * (1 + rnd.nextInt(6));
            for (DType dt : new DType[] {DType.F32, DType.F16, DType.BF16, DType.Q8_0, DType.Q4_0}) {
                Tensor t = weight(dt, rows, cols, trial);
                float[] x = SyntheticWeights.vector(cols, 1f, trial + 50);
                float[] y = new float[rows];
                Ops.matmul(t, x, 1, y);
                for (int r = 0; r < rows; r++) {
                    assertEquals(Ops.dotRow(t, r, x, 0, cols), y[r], 1e-5f * magnitude(t, r, x, 0, cols), dt + " trial " + trial);
                }
            }
        }
    }
}
