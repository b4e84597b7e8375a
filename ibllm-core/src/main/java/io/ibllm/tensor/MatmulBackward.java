package io.ibllm.tensor;


/**
 * The input gradient of a linear layer through a frozen weight: dx[n, :] += Σ_o dy[n, o]·W[o, :]
 * (dx += dy·W for W [out, in]), as the tiled {@link Gemm} with B = Wᵀ. W is stored k-major for
 * this product, so its panels need no transposition: each thread widens a strip of W's rows
 * (one k-block × {@link #STRIP} columns) once and copies 16-column slices out of it. The GEMM
 * splits dx's columns over threads, so no two threads write the same element.
 */
public final class MatmulBackward {
    /** Columns of W widened at a time (a multiple of 32, the quantisation block, and of Gemm.NR). */
    private static final int STRIP = 256;
    private static final ThreadLocal<float[]> STRIPS = ThreadLocal.withInitial(() -> new float[Gemm.KC * STRIP]);

    private MatmulBackward() {}

    public static void accumulate(Tensor w, float[] dy, int rows, float[] dx) {
        accumulate(WeightCache.packed(w), dy, rows, dx);
    }

    public static void accumulate(PackedWeight w, float[] dy, int rows, float[] dx) {
        int out = w.rows(), in = w.cols();
        if (dy.length < (long) rows * out || dx.length < (long) rows * in) {
            throw new IllegalArgumentException("backward buffers too small for " + rows + "x" + w);
        }
        Gemm.gemm(dy, 0, rows, out, new Columns(w), in, dx, 0, true);
    }

    /** Panels of Wᵀ: bp[p·NR + r] = W[k0 + p][j0 + r], from a per-thread strip of widened rows. */
    private static final class Columns implements Gemm.Panel {
        private final PackedWeight w;
        /** Per thread: the k0, first column and width the strip holds (k0 = -1: empty). */
        private final ThreadLocal<int[]> held = ThreadLocal.withInitial(() -> new int[] {-1, 0, 0});

        Columns(PackedWeight w) { this.w = w; }

        @Override
        public void pack(int j0, int nr, int k0, int kc, float[] bp) {
            float[] strip = STRIPS.get();
            int[] h = held.get();
            if (h[0] != k0 || j0 < h[1] || j0 + nr > h[1] + h[2]) {
                int c0 = j0 & ~31, width = Math.min(STRIP, w.cols() - c0);
                for (int p = 0; p < kc; p++) w.kernels.dequantRow(w, k0 + p, c0, width, strip, p * STRIP);
                h[0] = k0;
                h[1] = c0;
                h[2] = width;
            }
            int off = j0 - h[1];
            for (int p = 0; p < kc; p++) {
                System.arraycopy(strip, p * STRIP + off, bp, p * Gemm.NR, nr);
                if (nr < Gemm.NR) java.util.Arrays.fill(bp, p * Gemm.NR + nr, (p + 1) * Gemm.NR, 0f);
            }
        }
    }

    /** Plain twin for tests. */
    public static void accumulateScalar(Tensor w, float[] dy, int rows, float[] dx) {
        int out = (int) w.dim(0), in = (int) w.dim(1);
        for (int n = 0; n < rows; n++) {
            for (int o = 0; o < out; o++) {
                float g = dy[n * out + o];
                for (int i = 0; i < in; i++) dx[n * in + i] += g * w.getFloat((long) o * in + i);
            }
        }
    }
}
