package io.ibllm.bind;

import static io.ibllm.bind.BindNetworkTest.assertClose;

import io.ibllm.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The legacy "7B-beta" bridge has no golden output; it is checked against a direct double-precision
 * evaluation of spec §3 (LayerNorm eps 1e-5 with affine bias, biased SwiGLU linears).
 */
class LegacyBindNetworkTest {
    static final int IN = 8, DIM = 12, HID = 20;
    final Random rnd = new Random(5);

    float[] randn(int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rnd.nextGaussian() * scale);
        return x;
    }

    @Test
    void matchesADirectEvaluation() {
        float[] wp = randn(DIM * IN, 0.3), bp = randn(DIM, 0.1);
        List<float[][]> raw = new ArrayList<>();
        List<BindNetwork.Block> blocks = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            float[][] b = {randn(DIM, 0.2), randn(DIM, 0.1), randn(HID * DIM, 0.3), randn(HID, 0.1),
                    randn(DIM * HID, 0.2), randn(DIM, 0.1), randn(HID * DIM, 0.3), randn(HID, 0.1)};
            for (int i = 0; i < DIM; i++) b[0][i] += 1f;
            raw.add(b);
            blocks.add(new BindNetwork.Block(b[0], b[1], Tensor.f32(b[2], HID, DIM), Tensor.f32(b[3], HID),
                    Tensor.f32(b[4], DIM, HID), Tensor.f32(b[5], DIM), Tensor.f32(b[6], HID, DIM), Tensor.f32(b[7], HID)));
        }
        BindNetwork net = new BindNetwork(BindNetwork.Variant.LEGACY, Tensor.f32(wp, DIM, IN), Tensor.f32(bp, DIM), blocks);
        float[] f = randn(IN, 1.0);
        double[] x = linear(wp, bp, toDouble(f), DIM, IN);
        for (float[][] b : raw) {
            double[] n = layerNorm(x, b[0], b[1]);
            double[] g = linear(b[2], b[3], n, HID, DIM), u = linear(b[6], b[7], n, HID, DIM);
            for (int i = 0; i < HID; i++) g[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
            double[] y = linear(b[4], b[5], g, DIM, HID);
            for (int i = 0; i < DIM; i++) x[i] += y[i];
        }
        float[] expected = new float[DIM];
        for (int i = 0; i < DIM; i++) expected[i] = (float) x[i];
        assertClose(expected, net.forward(f, 1), 1e-4f, "legacy bind network");
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    static double[] linear(float[] w, float[] b, double[] x, int out, int in) {
        double[] y = new double[out];
        for (int o = 0; o < out; o++) {
            double acc = b[o];
            for (int i = 0; i < in; i++) acc += w[o * in + i] * x[i];
            y[o] = acc;
        }
        return y;
    }

    static double[] layerNorm(double[] x, float[] w, float[] b) {
        double mean = 0, var = 0;
        for (double v : x) mean += v;
        mean /= x.length;
        for (double v : x) var += (v - mean) * (v - mean);
        var /= x.length;
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) y[i] = (x[i] - mean) / Math.sqrt(var + 1e-5) * w[i] + b[i];
        return y;
    }
}
