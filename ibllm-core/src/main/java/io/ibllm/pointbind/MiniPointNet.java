package io.ibllm.pointbind;

import io.ibllm.tensor.Ops;
import io.ibllm.tensor.Tensor;

import static io.ibllm.pointbind.StrictKeys.ANY;

/**
 * Point-BERT's patch encoder (dvae.Encoder): a shared per-point MLP (1x1 Conv1d), max-pooled
 * into a patch feature, which is concatenated back onto every point for a second MLP, max-pooled
 * again into one token per patch.
 *
 * <p>Two exact rewrites keep it cheap: eval-mode BatchNorm is an affine map, folded into the
 * conv before it; and the second MLP's input is [global ; point], so its weight splits into a
 * global half applied once per patch and a point half applied per point.
 */
final class MiniPointNet {
    private static final float BN_EPS = 1e-5f;
    /** Points per pass (a whole number of patches): bounds the per-point activations to ~4096 × 512 floats. */
    private static final int POINTS_PER_PASS = 4096;

    private final Tensor w1, w2, w3Global, w3Point, w4;
    private final float[] b1, b2, b3, b4;
    final int outDim;

    private MiniPointNet(Tensor w1, float[] b1, Tensor w2, float[] b2, Tensor w3Global, Tensor w3Point, float[] b3,
                         Tensor w4, float[] b4) {
        this.w1 = w1; this.b1 = b1; this.w2 = w2; this.b2 = b2;
        this.w3Global = w3Global; this.w3Point = w3Point; this.b3 = b3;
        this.w4 = w4; this.b4 = b4;
        this.outDim = (int) w4.dim(0);
    }

    /** Loads {@code prefix}first_conv.* and second_conv.* (widths from the tensors). */
    static MiniPointNet load(StrictKeys keys, String prefix, int encoderDims) {
        String f = prefix + "first_conv.", s = prefix + "second_conv.";
        Tensor c1 = keys.get(f + "0.weight", ANY, 3, 1);
        int ch1 = (int) c1.dim(0);
        Tensor c2 = keys.get(f + "3.weight", ANY, ch1, 1);
        int ch2 = (int) c2.dim(0);
        Tensor c3 = keys.get(s + "0.weight", ANY, 2L * ch2, 1);
        int ch3 = (int) c3.dim(0);
        Tensor c4 = keys.get(s + "3.weight", encoderDims, ch3, 1);

        float[][] conv1 = foldBatchNorm(keys, f, c1, ch1);
        float[][] conv3 = foldBatchNorm(keys, s, c3, ch3);
        float[] w3 = conv3[0];
        return new MiniPointNet(
                Tensor.f32(conv1[0], ch1, 3), conv1[1],
                StrictKeys.matrix(c2, ch2, ch1), keys.get(f + "3.bias", ch2).toFloatArray(),
                Tensor.f32(columns(w3, ch3, 2 * ch2, 0, ch2), ch3, ch2),
                Tensor.f32(columns(w3, ch3, 2 * ch2, ch2, ch2), ch3, ch2), conv3[1],
                StrictKeys.matrix(c4, encoderDims, ch3), keys.get(s + "3.bias", encoderDims).toFloatArray());
    }

    /**
     * Conv {@code p}0 followed by eval BatchNorm {@code p}1 as one affine map: with
     * s = γ/√(var+ε), W' = s·W and b' = s·(b − mean) + β. Returns {W', b'}.
     */
    private static float[][] foldBatchNorm(StrictKeys keys, String p, Tensor conv, int ch) {
        float[] w = conv.toFloatArray();
        float[] b = keys.get(p + "0.bias", ch).toFloatArray();
        float[] gamma = keys.get(p + "1.weight", ch).toFloatArray();
        float[] beta = keys.get(p + "1.bias", ch).toFloatArray();
        float[] mean = keys.get(p + "1.running_mean", ch).toFloatArray();
        float[] var = keys.get(p + "1.running_var", ch).toFloatArray();
        keys.skip(p + "1.num_batches_tracked");
        int in = w.length / ch;
        for (int o = 0; o < ch; o++) {
            float scale = (float) (gamma[o] / Math.sqrt((double) var[o] + BN_EPS));
            for (int i = 0; i < in; i++) w[o * in + i] *= scale;
            b[o] = (b[o] - mean[o]) * scale + beta[o];
        }
        return new float[][] {w, b};
    }

    private static float[] columns(float[] w, int rows, int cols, int from, int count) {
        float[] out = new float[rows * count];
        for (int r = 0; r < rows; r++) System.arraycopy(w, r * cols + from, out, r * count, count);
        return out;
    }

    /** Tokens [g, outDim] of neighbourhoods [g, m, 3]. */
    float[] encode(float[] hood, int g, int m) {
        float[] out = new float[g * outDim];
        int chunk = Math.max(1, POINTS_PER_PASS / m);
        for (int s = 0; s < g; s += chunk) {
            int n = Math.min(chunk, g - s);
            float[] part = new float[n * m * 3];
            System.arraycopy(hood, s * m * 3, part, 0, part.length);
            System.arraycopy(encodeChunk(part, n, m), 0, out, s * outDim, n * outDim);
        }
        return out;
    }

    private float[] encodeChunk(float[] pts, int g, int m) {
        int rows = g * m, ch1 = (int) w1.dim(0), ch2 = (int) w2.dim(0), ch3 = (int) w3Point.dim(0);
        float[] h1 = new float[rows * ch1];
        Ops.linear(w1, null, pts, rows, h1);
        addBiasRelu(h1, rows, b1, true);
        float[] f = new float[rows * ch2];
        Ops.linear(w2, null, h1, rows, f);
        addBiasRelu(f, rows, b2, false);
        float[] global = maxOverPoints(f, g, m, ch2);
        float[] perPatch = new float[g * ch3];
        Ops.matmul(w3Global, global, g, perPatch);
        addBiasRelu(perPatch, g, b3, false);
        float[] h3 = new float[rows * ch3];
        Ops.matmul(w3Point, f, rows, h3);
        for (int r = 0; r < rows; r++) {
            int pg = (r / m) * ch3, pr = r * ch3;
            for (int c = 0; c < ch3; c++) h3[pr + c] = Math.max(0f, h3[pr + c] + perPatch[pg + c]);
        }
        float[] h4 = new float[rows * outDim];
        Ops.matmul(w4, h3, rows, h4);
        // max(x + b) = max(x) + b exactly (rounding is monotonic), so the bias goes after the pool.
        float[] tokens = maxOverPoints(h4, g, m, outDim);
        addBiasRelu(tokens, g, b4, false);
        return tokens;
    }

    private static void addBiasRelu(float[] x, int rows, float[] b, boolean relu) {
        int c = b.length;
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < c; j++) {
                float v = x[r * c + j] + b[j];
                x[r * c + j] = relu ? Math.max(0f, v) : v;
            }
        }
    }

    /** [g, m, c] → [g, c], the max over each patch's m points. */
    private static float[] maxOverPoints(float[] x, int g, int m, int c) {
        float[] out = new float[g * c];
        java.util.Arrays.fill(out, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < g; i++) {
            for (int p = 0; p < m; p++) {
                int row = (i * m + p) * c;
                for (int j = 0; j < c; j++) out[i * c + j] = Math.max(out[i * c + j], x[row + j]);
            }
        }
        return out;
    }
}
