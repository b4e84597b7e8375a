package io.ibllm.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A float weight [out, in] stored once in the GEMM's B-panel layout: for each group of
 * {@link Gemm#NR} output rows, the panel [in][NR] (zero columns past the last row), in the
 * weight's own precision (F16 stays F16, F32 and BF16 are F32), off-heap and aligned.
 *
 * <p>Per call the GEMM then copies (or widens) contiguous panel blocks instead of gathering NR
 * strided rows and transposing them, which cost 12-15 % of an encoder tower. It is for weights
 * that only ever meet many-row inputs (the ImageBind and Point-BERT towers): LLaMA's weights also
 * serve the row-major matvec of decoding and stay {@link PackedWeight}s. Building reads the
 * source once; a source mapped from a file then gives its pages back, so the panels replace the
 * mapping instead of doubling it.
 */
public final class PanelWeight {
    private final int rows;
    private final int cols;
    private final boolean half;
    /** [ceil(rows/NR)][cols][NR] values, F16 bits when {@code half}, else F32. */
    private final MemorySegment panels;

    private PanelWeight(int rows, int cols, boolean half, MemorySegment panels) {
        this.rows = rows;
        this.cols = cols;
        this.half = half;
        this.panels = panels;
    }

    public int rows() { return rows; }
    public int cols() { return cols; }

    /** Whether {@code w} can be stored as panels: a 2-D F32, F16 or BF16 matrix. */
    static boolean accepts(Tensor w) {
        DType dt = w.dtype();
        return w.rank() == 2 && (dt == DType.F32 || dt == DType.F16 || dt == DType.BF16);
    }

    /** The panels of a 2-D F32/F16/BF16 weight. */
    public static PanelWeight of(Tensor w) {
        if (!accepts(w) || w.dim(0) > Integer.MAX_VALUE || w.dim(1) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("panel weight must be a 2-D F32, F16 or BF16 [out, in], got " + w.dtype() + " " + w.shapeString());
        }
        DType dt = w.dtype();
        int rows = (int) w.dim(0), cols = (int) w.dim(1);
        boolean half = dt == DType.F16 && w.isContiguous();
        int nr = Gemm.NR;
        long count = (long) ((rows + nr - 1) / nr) * nr * cols;
        MemorySegment p = PackedWeight.allocate(count * (half ? 2 : 4));
        // Panel groups in parallel (the first image through the vision tower builds 632 M values).
        MemorySegment src = w.segment();
        Parallel.RangeBody build = (g0, g1) -> {
            float[] row = half ? null : new float[cols];
            for (int j = g0 * nr; j < Math.min(rows, g1 * nr); j++) place(w, half, j, cols, row, p);
        };
        int groups = (rows + nr - 1) / nr;
        if (PackedWeight.shareable(src)) Parallel.forRange(groups, build);
        else build.run(0, groups);
        PackedWeight.releaseMapping(src);
        return new PanelWeight(rows, cols, half, p);
    }

    /** Row j of w into its panel column (j % NR of panel j / NR); row is F32 scratch, unused for halves. */
    private static void place(Tensor w, boolean half, int j, int cols, float[] row, MemorySegment p) {
        int nr = Gemm.NR;
        long at = index(j, 0, cols), from = (long) j * cols;
        if (half) {
            MemorySegment src = w.segment();
            for (int k = 0; k < cols; k++) p.set(ValueLayout.JAVA_SHORT, 2 * (at + (long) k * nr), src.get(ValueLayout.JAVA_SHORT_UNALIGNED, 2 * (from + k)));
            return;
        }
        for (int k = 0; k < cols; k++) row[k] = w.getFloat(from + k);
        for (int k = 0; k < cols; k++) p.set(ValueLayout.JAVA_FLOAT, 4 * (at + (long) k * nr), row[k]);
    }

    /** The GEMM's B source: panel block (columns [j0, j0+NR), k in [k0, k0+kc)) copied or widened into bp. */
    Gemm.Panel source() {
        int nr = Gemm.NR;
        return (j0, n, k0, kc, bp) -> {
            long first = index(j0, k0, cols);   // j0 is a panel's first row
            if (half) {
                Simd.f16ToF32(panels, first, kc * nr, bp);
            } else {
                MemorySegment.copy(panels, ValueLayout.JAVA_FLOAT, 4 * first, bp, 0, kc * nr);
            }
        };
    }

    /** Where [row, col] of a weight with {@code cols} columns lies in the panels (element index). */
    private static long index(int row, int col, int cols) {
        return ((long) (row / Gemm.NR) * cols + col) * Gemm.NR + row % Gemm.NR;
    }

    /** The weight's value [row, col] (tests). */
    float get(int row, int col) {
        long i = index(row, col, cols);
        return half ? Float.float16ToFloat(panels.get(ValueLayout.JAVA_SHORT, 2 * i)) : panels.get(ValueLayout.JAVA_FLOAT, 4 * i);
    }
}
