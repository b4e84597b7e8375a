package io.ibllm.imagebind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.Golden;
import io.ibllm.io.Safetensors;
import io.ibllm.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Properties of torch's bicubic resize (align_corners=False, A=-0.75) that the position-table
 * interpolation must have, and the vision tower on other image sizes.
 */
class PosEmbedInterpolationTest {
    private static float[] ramp(int side, int dim) {
        float[] g = new float[side * side * dim];
        for (int y = 0; y < side; y++) for (int x = 0; x < side; x++) for (int d = 0; d < dim; d++) {
            g[(y * side + x) * dim + d] = 0.25f * y - 0.5f * x + d;
        }
        return g;
    }

    @Test
    void scaleOneIsTheIdentity() {
        float[] g = ramp(7, 3);
        for (int i = 0; i < g.length; i++) g[i] += (float) Math.sin(i);
        assertArrayEquals(g, PosEmbedInterpolation.resize(g, 7, 3, 1.0));
    }

    @Test
    void clampedBorderTapsMatchTorchsFormula() {
        // f(y, x) = x on a 4x4 grid, scale 2. Output x=0 samples source -0.25 (taps -2..1 clamped
        // to 0,0,0,1, t = 0.75): value = W(1.25) = -0.10546875. Output x=1 samples 0.25 (taps
        // -1..2 -> 0,0,1,2, t = 0.25): W(0.75) + 2 W(1.75) = 0.26171875 - 0.0703125 = 0.19140625.
        float[] g = new float[16];
        for (int i = 0; i < 16; i++) g[i] = i % 4;
        float[] r = PosEmbedInterpolation.resize(g, 4, 1, 2.0);
        assertEquals(64, r.length);
        assertEquals(-0.10546875f, r[0], 1e-6f);
        assertEquals(0.19140625f, r[1], 1e-6f);
        assertEquals(-0.10546875f, r[5 * 8], 1e-6f);
    }

    @Test
    void mirroredInputGivesMirroredOutput() {
        int side = 9;
        float[] g = new float[side * side], m = new float[side * side];
        for (int y = 0; y < side; y++) for (int x = 0; x < side; x++) {
            g[y * side + x] = (float) Math.sin(3 * y + x * x);
            m[y * side + (side - 1 - x)] = g[y * side + x];
        }
        double scale = 14.0 / 9;
        float[] a = PosEmbedInterpolation.resize(g, side, 1, scale), b = PosEmbedInterpolation.resize(m, side, 1, scale);
        int out = 14;
        for (int y = 0; y < out; y++) for (int x = 0; x < out; x++) assertEquals(a[y * out + x], b[y * out + out - 1 - x], 1e-5f);
    }

    @Test
    void constantsStayConstant() {
        float[] g = new float[10 * 10];
        java.util.Arrays.fill(g, 3.5f);
        for (float v : PosEmbedInterpolation.resize(g, 10, 1, 1.3)) assertEquals(3.5f, v, 1e-5f);
    }

    @Test
    void visionTowerTakesOtherSquareSizesAndRefusesOthers() {
        try (Safetensors f = Safetensors.open(Golden.file("checkpoints/imagebind_w3D.safetensors"))) {
            ImageBindModel m = ImageBindModel.load(f, ImageBindConfig.read(Golden.file("config/golden_config.json")));
            Tokens t = m.tower(Modality.VISION).preprocessor().apply(Tensor.f32(new float[3 * 112 * 112], 1, 3, 112, 112));
            assertEquals(1 + 8 * 8, t.len());
            ImageBindModel.Embedding e = m.embed(Modality.VISION, Tensor.f32(new float[2 * 3 * 140 * 140], 2, 3, 140, 140));
            assertEquals(2, e.rows());
            String msg = assertThrows(IllegalArgumentException.class,
                    () -> m.embed(Modality.VISION, Tensor.f32(new float[3 * 112 * 224], 1, 3, 112, 224))).getMessage();
            assertTrue(msg.contains("vision input has shape [1, 3, 112, 224]"), msg);
            msg = assertThrows(IllegalArgumentException.class,
                    () -> m.embed(Modality.DEPTH, Tensor.f32(new float[112 * 112], 1, 1, 112, 112))).getMessage();
            assertTrue(msg.contains("depth input has shape [1, 1, 112, 112]"), msg);
        }
    }
}
