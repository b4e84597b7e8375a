package io.ibllm.tensor;

/**
 * The engine's compute primitives over fp32 activations held in heap arrays. Weights are
 * {@link Tensor}s in any dtype, widened inside the kernels. Every model (LLaMA, bind network,
 * ImageBind towers, Point-BERT) is composed from these.
 *
 * <p>Layouts: a matrix weight is [out, in] as PyTorch's Linear stores it; activations are
 * row-major [rows, features].
 */
public final class Ops {
    private Ops() {}

    /** out[r, o] = sum_i x[r, i] * w[o, i] for r < rows; w is [out, in]. */
    public static void matmul(Tensor w, float[] x, int rows, float[] out) {
        if (w.rank() != 2) throw new IllegalArgumentException("matmul weight must be 2-D, got " + w.shapeString());
        int o = (int) w.dim(0), in = (int) w.dim(1);
        if (x.length < (long) rows * in || out.length < (long) rows * o) {
            throw new IllegalArgumentException("matmul buffers too small for " + rows + "x" + w.shapeString());
        }
        Tensor cw = w.isContiguous() ? w : w.toF32();
        Parallel.forRange(o, (s, e) -> {
            for (int r = 0; r < rows; r++) {
                for (int j = s; j < e; j++) {
                    out[r * o + j] = dotRow(cw, j, x, r * in, in);
                }
            }
        });
    }

    /**
     * Activation-by-activation product: c[i, j] = sum_p a[aOff + i*k + p] * b[bOff + j*k + p]
     * for i < m, j < n (b is stored transposed, [n, k]); used for attention scores and
     * convolution-as-GEMM.
     */
    public static void matmulTransB(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int n, int k) {
        Parallel.forRange(m, (s, e) -> {
            for (int i = s; i < e; i++) {
                for (int j = 0; j < n; j++) {
                    float acc = 0f;
                    int ai = aOff + i * k, bj = bOff + j * k;
                    for (int p = 0; p < k; p++) acc += a[ai + p] * b[bj + p];
                    c[cOff + i * n + j] = acc;
                }
            }
        });
    }

    /** out = x·wᵀ + b (b may be null). */
    public static void linear(Tensor w, Tensor bias, float[] x, int rows, float[] out) {
        matmul(w, x, rows, out);
        if (bias != null) {
            float[] b = bias.toFloatArray();
            int o = b.length;
            for (int r = 0; r < rows; r++) for (int j = 0; j < o; j++) out[r * o + j] += b[j];
        }
    }

    /** Dot product of row {@code row} of contiguous 2-D {@code w} with x[xOff, xOff+n). */
    public static float dotRow(Tensor w, int row, float[] x, int xOff, int n) {
        long base = (long) row * n;
        float acc = 0f;
        for (int i = 0; i < n; i++) acc += w.getFloat(base + i) * x[xOff + i];
        return acc;
    }

    /** RMSNorm of x[off, off+n): y = x * rsqrt(mean(x^2) + eps) * w. */
    public static void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] w, int n, float eps) {
        float ss = 0f;
        for (int i = 0; i < n; i++) ss += x[xOff + i] * x[xOff + i];
        float scale = (float) (1.0 / Math.sqrt(ss / n + eps));
        for (int i = 0; i < n; i++) out[outOff + i] = x[xOff + i] * scale * w[i];
    }

    /** LayerNorm of x[off, off+n) with biased variance, as torch.nn.LayerNorm. */
    public static void layerNorm(float[] out, int outOff, float[] x, int xOff, float[] w, float[] b, int n, float eps) {
        double mean = 0;
        for (int i = 0; i < n; i++) mean += x[xOff + i];
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) {
            double d = x[xOff + i] - mean;
            var += d * d;
        }
        var /= n;
        float inv = (float) (1.0 / Math.sqrt(var + eps));
        for (int i = 0; i < n; i++) {
            float v = (float) (x[xOff + i] - mean) * inv;
            out[outOff + i] = v * (w == null ? 1f : w[i]) + (b == null ? 0f : b[i]);
        }
    }

    /** In-place softmax of x[off, off+n). */
    public static void softmax(float[] x, int off, int n) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) max = Math.max(max, x[off + i]);
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            float e = (float) Math.exp(x[off + i] - max);
            x[off + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        for (int i = 0; i < n; i++) x[off + i] *= inv;
    }

    public static float silu(float z) { return z / (1f + (float) Math.exp(-z)); }

    /** Exact GELU, 0.5·x·(1 + erf(x/√2)), as PyTorch's default. */
    public static float gelu(float x) { return (float) (0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0)))); }
}
