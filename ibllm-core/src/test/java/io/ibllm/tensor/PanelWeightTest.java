package io.ibllm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Encoder weights stored as GEMM panels: same values, same products as the row-major path. */
class PanelWeightTest {
    private static final int ROWS = 2 * Gemm.NR + 3;   // a partial last panel
    private static final int COLS = Gemm.KC + 40;      // two k-blocks

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16"})
    void panelsHoldTheWeightsValues(DType dt) {
        Tensor w = SyntheticWeights.tensor(dt, ROWS, COLS, 1f, 3);
        PanelWeight p = PanelWeight.of(w);
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < COLS; c++) assertEquals(w.getFloat((long) r * COLS + c), p.get(r, c), 0f, dt + " [" + r + "," + c + "]");
        }
    }

    /** Bit-identical to the row-major GEMM (same values, same tiles, same k order). */
    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16"})
    void encoderLinearEqualsLinearForManyRows(DType dt) {
        Tensor w = SyntheticWeights.tensor(dt, ROWS, COLS, 1f, 5);
        Tensor bias = SyntheticWeights.tensor(DType.F32, 1, ROWS, 1f, 6).reshape(ROWS);
        int rows = 2 * Gemm.MR + 1;
        float[] x = SyntheticWeights.vector(rows * COLS, 1f, 7);
        float[] want = new float[rows * ROWS], got = new float[rows * ROWS];
        Ops.linear(w, bias, x, rows, want);
        Ops.encoderLinear(w, bias, x, rows, got);
        assertArrayEquals(want, got, dt + " panels vs rows");
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16"})
    void oneRowAgreesWithTheMatvec(DType dt) {
        Tensor w = SyntheticWeights.tensor(dt, ROWS, COLS, 1f, 8);
        float[] x = SyntheticWeights.vector(COLS, 1f, 9);
        float[] want = new float[ROWS], got = new float[ROWS];
        Ops.linear(w, null, x, 1, want);
        Ops.encoderLinear(w, null, x, 1, got);
        for (int r = 0; r < ROWS; r++) assertEquals(want[r], got[r], 1e-4f * (1 + Math.abs(want[r])), dt + " row " + r);
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16"})
    void aMappedSourceStaysReadableAfterItsPagesAreGivenBack(DType dt, @TempDir Path dir) throws Exception {
        Tensor t = SyntheticWeights.tensor(dt, ROWS, COLS, 1f, 10);
        Path file = dir.resolve("w.bin");
        Files.write(file, t.segment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        try (io.ibllm.io.Mapped m = io.ibllm.io.Mapped.open(file)) {
            Tensor mapped = Tensor.of(dt, new long[] {ROWS, COLS}, m.slice(0, m.size(), "weight"));
            PanelWeight p = PanelWeight.of(mapped);
            for (int r = 0; r < ROWS; r += 7) {
                for (int c = 0; c < COLS; c += 13) {
                    float v = t.getFloat((long) r * COLS + c);
                    assertEquals(v, p.get(r, c), 0f);
                    assertEquals(v, mapped.getFloat((long) r * COLS + c), 0f);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"Q8_0"})
    void quantisedWeightsAreRefused(DType dt) {
        Tensor w = SyntheticWeights.tensor(dt, ROWS, 64, 1f, 11);
        assertThrows(IllegalArgumentException.class, () -> PanelWeight.of(w));
    }
}
