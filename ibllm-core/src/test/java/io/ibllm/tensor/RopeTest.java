package io.ibllm.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ibllm.Golden;
import io.ibllm.io.Npy;
import org.junit.jupiter.api.Test;

class RopeTest {
    /** Golden: the reference's freqs_cis rows 0..255 for head_dim 16 (tiny LLaMA: dim 64, 4 heads), [256, 8, 2]. */
    @Test
    void tableMatchesReferenceFreqsCis() {
        Tensor golden = Npy.read(Golden.file("outputs/llm/freqs_cis_first256.npy"));
        int end = (int) golden.dim(0), half = (int) golden.dim(1);
        float[] table = Ops.freqsCis(2 * half, end, 10000f);
        float[] expected = golden.toFloatArray();
        assertEquals(expected.length, table.length);
        for (int i = 0; i < expected.length; i++) {
            // angles up to 255 rad: one fp32 ulp of the angle is 1.5e-5
            assertEquals(expected[i], table[i], 2e-6f, "entry " + i);
        }
    }

    @Test
    void rotatesInterleavedPairsLikeComplexMultiplication() {
        int headDim = 6, heads = 2, pos = 5;
        float[] table = Ops.freqsCis(headDim, 8, 10000f);
        float[] x = SyntheticWeights.vector(1 + heads * headDim, 1f, 3), y = x.clone();
        Ops.rope(y, 1, heads, headDim, table, pos);
        for (int h = 0; h < heads; h++) {
            for (int j = 0; j < headDim / 2; j++) {
                double angle = pos * Math.pow(10000, -2.0 * j / headDim);
                double re = x[1 + h * headDim + 2 * j], im = x[1 + h * headDim + 2 * j + 1];
                assertEquals(re * Math.cos(angle) - im * Math.sin(angle), y[1 + h * headDim + 2 * j], 1e-5);
                assertEquals(re * Math.sin(angle) + im * Math.cos(angle), y[1 + h * headDim + 2 * j + 1], 1e-5);
            }
        }
        assertEquals(x[0], y[0], "element before the offset untouched");
    }
}
