package io.ibllm.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PatchEmbedTest {
    private static void assertClose(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 1e-4f * (1 + Math.abs(expected[i])), "at " + i);
    }

    @Test
    void conv3dWithKernelEqualStride() {
        int c = 3, t = 2, h = 9, w = 12, out = 5;   // kernel (2, 3, 4): output 1 x 3 x 3
        Tensor weight = Tensor.f32(SyntheticWeights.vector(out * c * 2 * 3 * 4, 1f, 1), out, c, 2, 3, 4);
        Tensor bias = Tensor.f32(SyntheticWeights.vector(out, 1f, 2), out);
        float[] x = SyntheticWeights.vector(c * t * h * w, 1f, 3);
        float[] y = Ops.patchEmbed(x, c, t, h, w, weight, bias);
        var g = PatchEmbed.geometry(weight, c, t, h, w, 2, 3, 4);
        assertEquals(9, g.patches());
        assertClose(PatchEmbed.convScalar(x, g, weight, bias), y);
    }

    @Test
    void conv2dOverlappingStrideAndTokenLayout() {
        int c = 1, h = 16, w = 23, out = 4;   // kernel 6, stride 4 (overlapping, like the audio stem)
        Tensor weight = Tensor.f32(SyntheticWeights.vector(out * c * 6 * 6, 1f, 4), out, c, 6, 6);
        float[] x = SyntheticWeights.vector(c * h * w, 1f, 5);
        var g = PatchEmbed.geometry(weight, c, 1, h, w, 1, 4, 4);
        float[] expected = PatchEmbed.convScalar(x, g, weight, null);   // [out, P]
        float[] conv = Ops.patchEmbed(x, c, 1, h, w, weight, null, 1, 4, 4, false);
        float[] tokens = Ops.patchEmbed(x, c, 1, h, w, weight, null, 1, 4, 4, true);
        assertClose(expected, conv);
        int np = g.patches();
        assertEquals(3 * 5, np);
        for (int o = 0; o < out; o++) for (int p = 0; p < np; p++) assertEquals(conv[o * np + p], tokens[p * out + o], 1e-5f);
    }

    @Test
    void halfPrecisionWeight() {
        Tensor weight = SyntheticWeights.tensor(DType.F16, 3, 2 * 4 * 4, 1f, 6).reshape(3, 2, 4, 4);
        float[] x = SyntheticWeights.vector(2 * 8 * 8, 1f, 7);
        var g = PatchEmbed.geometry(weight, 2, 1, 8, 8, 1, 4, 4);
        assertClose(PatchEmbed.convScalar(x, g, weight, null), Ops.patchEmbed(x, 2, 1, 8, 8, weight, null));
    }

    @Test
    void rejectsChannelMismatch() {
        Tensor weight = Tensor.f32(new float[2 * 3 * 4], 2, 3, 2, 2);
        assertThrows(IllegalArgumentException.class, () -> Ops.patchEmbed(new float[64], 1, 1, 8, 8, weight, null));
    }
}
