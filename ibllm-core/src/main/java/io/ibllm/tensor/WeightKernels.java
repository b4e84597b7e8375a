package io.ibllm.tensor;

/**
 * The kernels one weight dtype owns, over its {@link PackedWeight} layout and fp32 activations.
 * Each SIMD method has a plain scalar twin (suffix {@code Scalar}) that tests compare it with.
 */
interface WeightKernels {
    /** out[outOff + r] = row r of w · x[xOff, xOff + cols) for r in [r0, r1). */
    void matvec(PackedWeight w, float[] x, int xOff, float[] out, int outOff, int r0, int r1);

    void matvecScalar(PackedWeight w, float[] x, int xOff, float[] out, int outOff, int r0, int r1);

    /**
     * Row {@code row}, columns [k0, k0 + len), widened to fp32 into dst[dstOff...]; the GEMM
     * packs its B panels with this. For block types k0 and len are multiples of 32.
     */
    void dequantRow(PackedWeight w, int row, int k0, int len, float[] dst, int dstOff);

    void dequantRowScalar(PackedWeight w, int row, int k0, int len, float[] dst, int dstOff);
}
