package io.ibllm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** GGML reference quantisers: expected bytes worked out by hand in the comments. */
class QuantTest {
    private static byte[] q8(float[] x) {
        MemorySegment m = MemorySegment.ofArray(new byte[34]);
        Quant.quantizeBlockQ8_0(x, 0, m, 0);
        return m.toArray(ValueLayout.JAVA_BYTE);
    }

    private static byte[] q4(float[] x) {
        MemorySegment m = MemorySegment.ofArray(new byte[18]);
        Quant.quantizeBlockQ4_0(x, 0, m, 0);
        return m.toArray(ValueLayout.JAVA_BYTE);
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        return b;
    }

    @Test
    void q8_0UnitScaleRoundsHalvesAwayFromZero() {
        float[] x = new float[32];
        float[] head = {-127f, 126.5f, -2.5f, 2.5f, 0.49f, -0.5f, 0.5f, 100.4f};
        System.arraycopy(head, 0, x, 0, head.length);
        // amax 127 → d = 1 (fp16 0x3C00), id = 1; roundf: 126.5→127, −2.5→−3, 2.5→3, 0.49→0, −0.5→−1, 0.5→1, 100.4→100
        byte[] expected = new byte[34];
        System.arraycopy(bytes(0x00, 0x3C, -127, 127, -3, 3, 0, -1, 1, 100), 0, expected, 0, 10);
        assertArrayEquals(expected, q8(x));
    }

    @Test
    void q8_0ScaleIsRoundedToFp16() {
        float[] x = new float[32];
        x[0] = 1f;
        x[1] = 0.25f;
        x[2] = -0.1f;
        // d = 1/127 = 0.0078740157 = 2^-7 · 1.00787: fp16 mantissa round(0.00787·1024) = 8, exponent 8 → 0x2008
        // id = 127: 1 → 127, 0.25 → 31.75 → 32, −0.1 → −12.7 → −13
        byte[] expected = new byte[34];
        System.arraycopy(bytes(0x08, 0x20, 127, 32, -13), 0, expected, 0, 5);
        assertArrayEquals(expected, q8(x));
    }

    @Test
    void zeroBlocksHaveZeroScale() {
        assertArrayEquals(new byte[34], q8(new float[32]));
        // Q4_0: max = 0, d = 0/−8 = −0.0 → fp16 0x8000 (as GGML writes it), id = 0 → every q = trunc(8.5) = 8
        byte[] expected = new byte[18];
        expected[1] = (byte) 0x80;
        for (int j = 2; j < 18; j++) expected[j] = (byte) 0x88;
        assertArrayEquals(expected, q4(new float[32]));
    }

    @Test
    void q4_0NegativeMaxKeepsItsSignAndFirstWinsTies() {
        float[] x = new float[32];
        float[] head = {-8f, 7f, 7.6f, 0f, -0.6f, 0.5f};
        System.arraycopy(head, 0, x, 0, head.length);
        x[16] = 3f;
        x[17] = -3f;
        x[20] = 8f;   // same |x| as x[0] but later: max stays −8
        // d = −8/−8 = 1 (0x3C00), id = 1, q = min(15, trunc(x + 8.5)):
        // q0..5 = 0, 15, 15 (16 clamped), 8, 7, 9; q16 = 11, q17 = 5, q20 = 15 (16 clamped); others 8
        // byte j = q[j] | q[j+16] << 4
        byte[] expected = bytes(0x00, 0x3C, 0xB0, 0x5F, 0x8F, 0x88, 0xF7, 0x89,
                0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88);
        assertArrayEquals(expected, q4(x));
    }

    @Test
    void q4_0PositiveMaxGivesNegativeScale() {
        float[] x = new float[32];
        x[0] = 16f;
        x[1] = -14f;
        x[2] = 1f;
        x[3] = -1f;
        x[16] = 5f;
        // d = 16/−8 = −2 (fp16 0xC000), id = −0.5: 16 → 0.5 → 0, −14 → 15.5 → 15, 1 → 8, −1 → 9.5 → 9, 5 → 6
        byte[] expected = bytes(0x00, 0xC0, 0x60, 0x8F, 0x88, 0x89, 0x88, 0x88,
                0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88);
        assertArrayEquals(expected, q4(x));
    }

    @Test
    void dequantisersInvertTheHandBlocks() {
        float[] x = new float[64];
        x[0] = -8f;
        x[1] = 7f;
        x[4] = -0.6f;
        x[16] = 3f;
        x[32] = -127f;
        x[33] = 2.5f;
        Tensor src = Tensor.f32(x, 2, 32);
        float[] d4 = Quant.dequantize(Quant.quantize(src, DType.Q4_0));
        // row 0: d = 1 → (q − 8): −8, 7, ..., −1 at 4, 3 at 16, 0 elsewhere
        assertEquals(-8f, d4[0]);
        assertEquals(7f, d4[1]);
        assertEquals(-1f, d4[4]);
        assertEquals(3f, d4[16]);
        assertEquals(0f, d4[5]);
        float[] d8 = Quant.dequantize(Quant.quantize(src, DType.Q8_0));
        assertEquals(-127f, d8[32]);   // d = 1
        assertEquals(3f, d8[33]);      // 2.5 → 3
        assertEquals(-8f, d8[0], 8f / 127 / 2 + 1e-6f);
    }

    @Test
    void q8_0RoundTripErrorIsAtMostHalfAStep() {
        float[] x = SyntheticWeights.vector(32 * 20, 3f, 12);
        Tensor q = Quant.quantize(Tensor.f32(x, 20, 32), DType.Q8_0);
        float[] back = q.toFloatArray();
        for (int b = 0; b < 20; b++) {
            float amax = 0f;
            for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[b * 32 + j]));
            float step = amax / 127f;
            for (int j = 0; j < 32; j++) {
                // half a step, plus |q| ≤ 127 times the fp16 rounding of d (relative 2^-11)
                assertTrue(Math.abs(x[b * 32 + j] - back[b * 32 + j]) <= step * (0.5f + 127f / 2048f) + 1e-7f, "block " + b);
            }
        }
    }
}
