package io.ibllm.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A 2-D weight [rows = out, cols = in] in the layout its kernels read fastest: 64-byte-aligned
 * off-heap memory, and for Q8_0/Q4_0 a struct of arrays (all quants of a row contiguous and
 * aligned, the fp16 block scales in a separate array) instead of GGML's 34/18-byte blocks, whose
 * odd strides give unaligned vector loads and a speed that varies between JVM launches.
 *
 * <p>Models call {@link #pack(Tensor)} once at load and pass the result to
 * {@link Ops#matmul(PackedWeight, float[], int, float[])}.
 */
public final class PackedWeight {
    static final int ALIGN = 64;

    private final DType dtype;
    private final int rows;
    private final int cols;
    /** F32/F16/BF16: the values; Q8_0: int8 quants [rows*cols]; Q4_0: GGML nibble bytes [rows*cols/2]. */
    final MemorySegment data;
    /** Q8_0/Q4_0: one fp16 scale per block of 32, [rows*cols/32]; null for float types. */
    final MemorySegment scales;
    final WeightKernels kernels;
    /** F16 only: some weight is inf or NaN, so the kernels must take the exact (slower) widening. */
    final boolean specialHalves;

    PackedWeight(DType dtype, int rows, int cols, MemorySegment data, MemorySegment scales) {
        this.dtype = dtype;
        this.rows = rows;
        this.cols = cols;
        this.data = data;
        this.scales = scales;
        this.kernels = kernelsFor(dtype);
        this.specialHalves = dtype == DType.F16 && Simd.anyF16InfOrNaN(data, (long) rows * cols);
    }

    public DType dtype() { return dtype; }
    public int rows() { return rows; }
    public int cols() { return cols; }

    /** Bytes of weight data the kernels stream per matvec (quants plus scales). */
    public long byteSize() { return data.byteSize() + (scales == null ? 0 : scales.byteSize()); }

    @Override
    public String toString() { return "PackedWeight[" + dtype + " " + rows + "x" + cols + "]"; }

    static WeightKernels kernelsFor(DType dtype) {
        return switch (dtype) {
            case F32 -> F32Kernels.INSTANCE;
            case F16 -> F16Kernels.INSTANCE;
            case BF16 -> BF16Kernels.INSTANCE;
            case Q8_0 -> Q8_0Kernels.INSTANCE;
            case Q4_0 -> Q4_0Kernels.INSTANCE;
            default -> throw new IllegalArgumentException("no matmul kernels for weight dtype " + dtype
                    + " (expected F32, F16, BF16, Q8_0 or Q4_0)");
        };
    }

    /** Copies (and for Q8_0/Q4_0 repacks) a 2-D weight into fresh aligned memory. */
    public static PackedWeight pack(Tensor t) {
        if (t.rank() != 2) throw new IllegalArgumentException("weight must be 2-D [out, in], got " + t.shapeString());
        if (t.dim(0) > Integer.MAX_VALUE || t.dim(1) > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("weight too large: " + t.shapeString());
        }
        DType dt = t.dtype();
        kernelsFor(dt);
        if (!t.isContiguous()) return pack(t.toF32());
        int rows = (int) t.dim(0), cols = (int) t.dim(1);
        MemorySegment src = t.segment();
        if (!dt.isQuantized()) {
            MemorySegment data = allocate(dt.byteSize((long) rows * cols));
            MemorySegment.copy(src, 0, data, 0, data.byteSize());
            releaseMapping(src);
            return new PackedWeight(dt, rows, cols, data, null);
        }
        if (cols % 32 != 0) throw new IllegalArgumentException(dt + " weight needs in % 32 == 0, got " + t.shapeString());
        long blocks = (long) rows * cols / 32;
        int quantBytes = dt.blockBytes() - 2;
        MemorySegment data = allocate(blocks * quantBytes);
        MemorySegment scales = allocate(blocks * 2);
        int rowBlocks = cols / 32;
        // Rows in parallel (the first use of a 7B model repacks 4-7 GB here), unless only this
        // thread may read the source (a confined arena's memory).
        Parallel.RangeBody repack = (r0, r1) -> {
            for (long b = (long) r0 * rowBlocks; b < (long) r1 * rowBlocks; b++) {
                long at = b * dt.blockBytes();
                scales.set(ValueLayout.JAVA_SHORT, b * 2, src.get(Tensor.I16_LE, at));
                MemorySegment.copy(src, at + 2, data, b * quantBytes, quantBytes);
            }
        };
        if (shareable(src)) Parallel.forRange(rows, repack);
        else repack.run(0, rows);
        releaseMapping(src);
        return new PackedWeight(dt, rows, cols, data, scales);
    }

    /** Stands for any thread but the caller: never started. */
    private static final Thread OTHER = new Thread(() -> {});

    /** Whether the pool's workers may read {@code m} (a confined arena's memory only its owner may). */
    static boolean shareable(MemorySegment m) {
        return m.isAccessibleBy(OTHER);
    }

    /**
     * The packed copy is what the kernels read from now on, so a source mapped from a file gives
     * its pages back (madvise DONTNEED through {@link MemorySegment#unload}); otherwise the process
     * would hold every repacked weight twice, once in its copy and once in the touched mapping
     * (a 7B Q4_0 model: 7.8 GB instead of 3.9). The file stays mapped: a later read of the source
     * faults the pages in again from the page cache.
     */
    static void releaseMapping(MemorySegment src) {
        if (src.isMapped()) src.unload();
    }

    /**
     * A zero-copy view of a contiguous F32/F16/BF16 weight (its mapping may be unaligned, which
     * costs some speed but no memory); quantised or strided weights are packed.
     */
    static PackedWeight view(Tensor t) {
        if (t.rank() != 2) throw new IllegalArgumentException("weight must be 2-D [out, in], got " + t.shapeString());
        DType dt = t.dtype();
        if (dt.isQuantized() || !t.isContiguous() || t.dim(0) > Integer.MAX_VALUE || t.dim(1) > Integer.MAX_VALUE) {
            return pack(t);
        }
        kernelsFor(dt);
        return new PackedWeight(dt, (int) t.dim(0), (int) t.dim(1), t.segment(), null);
    }

    /** Huge-page backed where possible (see {@link HugePages}), else 64-byte aligned. */
    static MemorySegment allocate(long bytes) {
        MemorySegment huge = HugePages.allocate(bytes);
        return huge != null ? huge : Arena.ofAuto().allocate(Math.max(bytes, 1), ALIGN);
    }
}
