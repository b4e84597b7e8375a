package io.ibllm.tensor;

/**
 * The engine's compute primitives over fp32 activations held in heap arrays. Weights are
 * {@link Tensor}s in any dtype, or {@link PackedWeight}s (packed once at load: the fast path),
 * widened inside the kernels. Every model (LLaMA, bind network, ImageBind towers, Point-BERT) is
 * composed from these.
 *
 * <p>Layouts: a matrix weight is [out, in] as PyTorch's Linear stores it; activations are
 * row-major [rows, features].
 */
public final class Ops {
    private Ops() {}

    /** out[r, o] = sum_i x[r, i] * w[o, i] for r < rows; w is [out, in]. */
    public static void matmul(Tensor w, float[] x, int rows, float[] out) {
        if (w.rank() != 2) throw new IllegalArgumentException("matmul weight must be 2-D, got " + w.shapeString());
        matmul(WeightCache.packed(w), x, rows, out);
    }

    /**
     * The form {@link #matmul(Tensor, float[], int, float[])} computes with: a zero-copy view of
     * F32/F16/BF16 weights, a repacked copy of quantised ones. Models that keep only this (not the
     * tensor) let a quantised source be freed once packed.
     */
    public static PackedWeight prepare(Tensor w) {
        if (w.rank() != 2) throw new IllegalArgumentException("matmul weight must be 2-D, got " + w.shapeString());
        return WeightCache.packed(w);
    }

    /**
     * out[r, o] = sum_i x[r, i] * w[o, i] for r < rows. One row is a matrix-vector product split
     * over output rows (memory-bound); more rows go through the tiled GEMM (compute-bound).
     */
    public static void matmul(PackedWeight w, float[] x, int rows, float[] out) {
        int o = w.rows(), in = w.cols();
        if (x.length < (long) rows * in || out.length < (long) rows * o) {
            throw new IllegalArgumentException("matmul buffers too small for " + rows + "x" + w);
        }
        if (rows <= 0) return;
        if (rows == 1) {
            Matvec job = MATVEC.get();
            job.set(w, x, out);
            try {
                Parallel.forChunks(o, 4, MATVEC_CHUNKS, job);   // rows four at a time (the kernels' unit)
            } finally {
                job.set(null, null, null);
            }
        } else {
            Gemm.gemm(x, 0, rows, in, (j, k0, len, dst, off) -> w.kernels.dequantRow(w, j, k0, len, dst, off), o, out, 0);
        }
    }

    /** A reusable per-thread job, so a decode step's hundreds of matvecs allocate nothing. */
    private static final class Matvec implements Parallel.RangeBody {
        private PackedWeight w;
        private float[] x, out;

        void set(PackedWeight w, float[] x, float[] out) {
            this.w = w;
            this.x = x;
            this.out = out;
        }

        @Override
        public void run(int start, int end) { w.kernels.matvec(w, x, 0, out, 0, start, end); }
    }

    private static final ThreadLocal<Matvec> MATVEC = ThreadLocal.withInitial(Matvec::new);
    /**
     * Chunks per thread of a matvec, taken by whichever thread is free: on a VM whose vCPUs the
     * host slows down in turn, one fixed half per thread left the faster core waiting at the join.
     */
    private static final int MATVEC_CHUNKS = Integer.getInteger("ibllm.matvecChunks", 8);

    /**
     * Activation-by-activation product: c[i, j] = sum_p a[aOff + i*k + p] * b[bOff + j*k + p]
     * for i < m, j < n (b is stored transposed, [n, k]); used for attention scores and
     * convolution-as-GEMM.
     */
    public static void matmulTransB(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int m, int n, int k) {
        if (aOff + (long) m * k > a.length || bOff + (long) n * k > b.length || cOff + (long) m * n > c.length) {
            throw new IllegalArgumentException("matmulTransB buffers too small for " + m + "x" + n + "x" + k);
        }
        Gemm.gemm(a, aOff, m, k, (j, k0, len, dst, off) -> System.arraycopy(b, bOff + j * k + k0, dst, off, len), n, c, cOff);
    }

    /** out = x·wᵀ + b (b may be null). */
    public static void linear(Tensor w, Tensor bias, float[] x, int rows, float[] out) {
        matmul(w, x, rows, out);
        if (bias != null) addBias(out, rows, bias.toFloatArray());
    }

    /**
     * out = x·wᵀ + b for a weight that only ever meets many-row inputs (the encoder towers): a
     * float weight goes through its {@link PanelWeight}, built on first use and kept while the
     * tensor lives (its mapping is given back); other dtypes take {@link #linear(Tensor, Tensor,
     * float[], int, float[])}.
     */
    public static void encoderLinear(Tensor w, Tensor bias, float[] x, int rows, float[] out) {
        if (!PanelWeight.accepts(w)) {
            linear(w, bias, x, rows, out);
            return;
        }
        PanelWeight p = WeightCache.panels(w);
        if (x.length < (long) rows * p.cols() || out.length < (long) rows * p.rows()) {
            throw new IllegalArgumentException("linear buffers too small for " + rows + "x" + w.shapeString());
        }
        if (rows <= 0) return;
        Gemm.gemm(x, 0, rows, p.cols(), p.source(), p.rows(), out, 0, false);
        if (bias != null) addBias(out, rows, bias.toFloatArray());
    }

    /** out = x·wᵀ + b (b may be null). */
    public static void linear(PackedWeight w, float[] bias, float[] x, int rows, float[] out) {
        matmul(w, x, rows, out);
        if (bias != null) addBias(out, rows, bias);
    }

    private static void addBias(float[] out, int rows, float[] b) {
        for (int r = 0; r < rows; r++) add(out, r * b.length, b, 0, b.length);
    }

    /** x[xOff + i] += y[yOff + i] for i < n. */
    public static void add(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        if (Simd.ENABLED) {
            for (; i + Simd.L <= n; i += Simd.L) {
                jdk.incubator.vector.FloatVector.fromArray(Simd.F, x, xOff + i)
                        .add(jdk.incubator.vector.FloatVector.fromArray(Simd.F, y, yOff + i)).intoArray(x, xOff + i);
            }
        }
        for (; i < n; i++) x[xOff + i] += y[yOff + i];
    }

    /** Σ a[aOff + i]·b[bOff + i] for i < n (SIMD). */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        if (aOff < 0 || bOff < 0 || n < 0 || aOff + (long) n > a.length || bOff + (long) n > b.length) {
            throw new IllegalArgumentException("dot: range outside the arrays");
        }
        return Simd.dot(a, aOff, b, bOff, n);
    }

    /** Dot product of row {@code row} of contiguous 2-D {@code w} with x[xOff, xOff+n): the naive reference. */
    public static float dotRow(Tensor w, int row, float[] x, int xOff, int n) {
        long base = (long) row * n;
        float acc = 0f;
        for (int i = 0; i < n; i++) acc += w.getFloat(base + i) * x[xOff + i];
        return acc;
    }

    /** RMSNorm of x[off, off+n): y = x * rsqrt(mean(x^2) + eps) * w. */
    public static void rmsnorm(float[] out, int outOff, float[] x, int xOff, float[] w, int n, float eps) {
        NormKernels.rmsnorm(out, outOff, x, xOff, w, n, eps);
    }

    /** LayerNorm of x[off, off+n) with biased variance, as torch.nn.LayerNorm (w, b may be null). */
    public static void layerNorm(float[] out, int outOff, float[] x, int xOff, float[] w, float[] b, int n, float eps) {
        NormKernels.layerNorm(out, outOff, x, xOff, w, b, n, eps);
    }

    /** In-place softmax of x[off, off+n). */
    public static void softmax(float[] x, int off, int n) {
        NormKernels.softmax(x, off, n);
    }

    public static float silu(float z) { return z / (1f + (float) Math.exp(-z)); }

    /** In place: x[off, off+n) ← silu(x). */
    public static void silu(float[] x, int off, int n) { Activations.silu(x, off, n); }

    /** In place: gate[i] ← silu(gate[i]) · up[i] (LLaMA's feed-forward, w2(silu(w1 x) * w3 x)). */
    public static void swiglu(float[] gate, int gOff, float[] up, int uOff, int n) {
        Activations.swiglu(gate, gOff, up, uOff, n);
    }

    /** Exact GELU, 0.5·x·(1 + erf(x/√2)), as PyTorch's default. */
    public static float gelu(float x) { return (float) (0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0)))); }

    /** In place: x[off, off+n) ← exact GELU. */
    public static void gelu(float[] x, int off, int n) { Activations.gelu(x, off, n); }

    /** LLaMA's rotary table: [end, headDim/2, 2] = (cos, sin) of pos·θ^(−2j/headDim), see {@link Rope}. */
    public static float[] freqsCis(int headDim, int end, float theta) { return Rope.freqsCis(headDim, end, theta); }

    /** Rotates each of nHeads heads of x[off...] (pairs 2j, 2j+1) to position pos, in place. */
    public static void rope(float[] x, int off, int nHeads, int headDim, float[] freqsCis, int pos) {
        Rope.apply(x, off, nHeads, headDim, freqsCis, pos);
    }

    /** The k largest of x[off, off+n), descending, ties by lower index (NaN ranks highest, as torch.topk). */
    public static void topK(float[] x, int off, int n, int k, float[] values, int[] indices) {
        TopK.topK(x, off, n, k, values, indices);
    }

    /**
     * Patch embedding (convolution without padding) of one input x [C, T, H, W] (T = 1 for a
     * Conv2d weight [out, C, kh, kw]; a Conv3d weight is [out, C, kt, kh, kw]) with stride equal
     * to the kernel. Returns the conv output [out, T'·H'·W'], each channel flattened row-major.
     */
    public static float[] patchEmbed(float[] x, int c, int t, int h, int w, Tensor weight, Tensor bias) {
        long[] s = weight.shape();
        int kt = s.length == 5 ? (int) s[2] : 1;
        return patchEmbed(x, c, t, h, w, weight, bias, kt, (int) s[s.length - 2], (int) s[s.length - 1], false);
    }

    /**
     * As {@link #patchEmbed(float[], int, int, int, int, Tensor, Tensor)} with explicit strides
     * (ImageBind's audio stem overlaps: kernel 16, stride 10); {@code tokensFirst} returns
     * [T'·H'·W', out] instead, the token layout the transformers consume.
     */
    public static float[] patchEmbed(float[] x, int c, int t, int h, int w, Tensor weight, Tensor bias,
                                     int st, int sh, int sw, boolean tokensFirst) {
        return PatchEmbed.conv(x, PatchEmbed.geometry(weight, c, t, h, w, st, sh, sw), weight, bias, tokensFirst);
    }
}
