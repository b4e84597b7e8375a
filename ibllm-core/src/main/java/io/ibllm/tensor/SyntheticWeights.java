package io.ibllm.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

/** Random weights of real shapes in any weight dtype, for benchmarks that need no files on disk. */
public final class SyntheticWeights {
    private SyntheticWeights() {}

    /**
     * A [rows, cols] tensor of uniform values in (−scale, scale) stored as {@code dtype} (GGML
     * layout for Q8_0/Q4_0, produced by the reference quantisers).
     */
    public static Tensor tensor(DType dtype, int rows, int cols, float scale, long seed) {
        return fill(Tensor.allocate(dtype, rows, cols), scale, seed);
    }

    /**
     * As {@link #tensor} packed for the kernels, the GGML-layout original freed at once (left to
     * the GC, a 7B model's originals pile up beside the packed copies: twice the memory).
     */
    public static PackedWeight packed(DType dtype, int rows, int cols, float scale, long seed) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(Math.max(1, dtype.byteSize((long) rows * cols)), 64);
            return PackedWeight.pack(fill(Tensor.of(dtype, new long[] {rows, cols}, m), scale, seed));
        }
    }

    private static Tensor fill(Tensor t, float scale, long seed) {
        DType dtype = t.dtype();
        int rows = (int) t.dim(0), cols = (int) t.dim(1);
        MemorySegment m = t.segment();
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] block = new float[32];
        long n = (long) rows * cols;
        switch (dtype) {
            case F32 -> { for (long i = 0; i < n; i++) m.set(Tensor.F32_LE, 4 * i, value(rnd, scale)); }
            case F16 -> { for (long i = 0; i < n; i++) m.set(Tensor.I16_LE, 2 * i, Float.floatToFloat16(value(rnd, scale))); }
            case BF16 -> { for (long i = 0; i < n; i++) m.set(Tensor.I16_LE, 2 * i, (short) (Float.floatToRawIntBits(value(rnd, scale)) >>> 16)); }
            case Q8_0, Q4_0 -> {
                for (long b = 0; b < n / 32; b++) {
                    for (int j = 0; j < 32; j++) block[j] = value(rnd, scale);
                    if (dtype == DType.Q8_0) Quant.quantizeBlockQ8_0(block, 0, m, b * 34);
                    else Quant.quantizeBlockQ4_0(block, 0, m, b * 18);
                }
            }
            default -> throw new IllegalArgumentException("no synthetic weights of dtype " + dtype);
        }
        return t;
    }

    private static float value(SplittableRandom rnd, float scale) {
        return (float) ((rnd.nextDouble() * 2 - 1) * scale);
    }

    /** Random fp32 values in (−scale, scale). */
    public static float[] vector(int n, float scale, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = value(rnd, scale);
        return v;
    }

}
