package io.ibllm.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A tensor: dtype + shape + strides (in elements) + a memory segment holding the data.
 * The segment is usually a slice of a memory-mapped checkpoint; nothing is copied on load.
 * Quantised tensors are always contiguous (strides describe blocks of the last dimension).
 */
public final class Tensor {
    static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt I32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong I64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble F64_LE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final DType dtype;
    private final long[] shape;
    private final long[] strides;
    private final MemorySegment data;

    public Tensor(DType dtype, long[] shape, long[] strides, MemorySegment data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.strides = strides.clone();
        this.data = data;
        if (shape.length != strides.length) throw new IllegalArgumentException("shape and strides differ in rank");
    }

    /** A contiguous (row-major) tensor over {@code data}. */
    public static Tensor of(DType dtype, long[] shape, MemorySegment data) {
        long need = dtype.byteSize(numel(shape));
        if (data.byteSize() < need) {
            throw new IllegalArgumentException("tensor " + dtype + Arrays.toString(shape) + " needs " + need
                    + " bytes, segment has " + data.byteSize());
        }
        return new Tensor(dtype, shape, contiguousStrides(shape), data.asSlice(0, need));
    }

    /** A new contiguous F32 tensor copied from {@code values} into fresh off-heap memory. */
    public static Tensor f32(float[] values, long... shape) {
        if (numel(shape) != values.length) throw new IllegalArgumentException("shape does not match values");
        MemorySegment seg = Arena.ofAuto().allocate((long) values.length * 4, 64);
        MemorySegment.copy(values, 0, seg, F32_LE, 0, values.length);
        return of(DType.F32, shape, seg);
    }

    /** A new zero-filled contiguous tensor in fresh off-heap memory, 64-byte aligned. */
    public static Tensor allocate(DType dtype, long... shape) {
        MemorySegment seg = Arena.ofAuto().allocate(Math.max(1, dtype.byteSize(numel(shape))), 64);
        return of(dtype, shape, seg);
    }

    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    public static long[] contiguousStrides(long[] shape) {
        long[] s = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    public DType dtype() { return dtype; }
    public long[] shape() { return shape.clone(); }
    public long[] strides() { return strides.clone(); }
    public int rank() { return shape.length; }
    public long dim(int i) { return shape[i < 0 ? shape.length + i : i]; }
    public long numel() { return numel(shape); }
    public MemorySegment segment() { return data; }

    public boolean isContiguous() { return Arrays.equals(strides, contiguousStrides(shape)); }

    public String shapeString() { return Arrays.toString(shape); }

    /** Same data, new shape (contiguous tensors only). */
    public Tensor reshape(long... newShape) {
        if (!isContiguous()) throw new IllegalStateException("reshape of a non-contiguous tensor");
        if (numel(newShape) != numel()) {
            throw new IllegalArgumentException("cannot reshape " + shapeString() + " to " + Arrays.toString(newShape));
        }
        return new Tensor(dtype, newShape, contiguousStrides(newShape), data);
    }

    /** Element at a flat row-major logical index, widened to float (honours strides). */
    public float getFloat(long index) {
        return readFloat(physicalIndex(index));
    }

    /** Element at a flat row-major logical index as a long (integer and bool tensors). */
    public long getLong(long index) {
        long p = physicalIndex(index);
        return switch (dtype) {
            case I64 -> data.get(I64_LE, p * 8);
            case I32 -> data.get(I32_LE, p * 4);
            case I16 -> data.get(I16_LE, p * 2);
            case I8 -> data.get(ValueLayout.JAVA_BYTE, p);
            case U8, BOOL -> Byte.toUnsignedLong(data.get(ValueLayout.JAVA_BYTE, p));
            default -> (long) readFloat(p);
        };
    }

    private long physicalIndex(long index) {
        if (isContiguousFast()) return index;
        long p = 0;
        for (int d = shape.length - 1; d >= 0; d--) {
            long i = index % shape[d];
            index /= shape[d];
            p += i * strides[d];
        }
        return p;
    }

    private boolean isContiguousFast() {
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != acc) return false;
            acc *= shape[i];
        }
        return true;
    }

    private float readFloat(long p) {
        return switch (dtype) {
            case F32 -> data.get(F32_LE, p * 4);
            case F16 -> Float.float16ToFloat(data.get(I16_LE, p * 2));
            case BF16 -> Float.intBitsToFloat(data.get(I16_LE, p * 2) << 16);
            case F64 -> (float) data.get(F64_LE, p * 8);
            case Q8_0 -> Quant.q8_0Get(data, p);
            case Q4_0 -> Quant.q4_0Get(data, p);
            case I64 -> data.get(I64_LE, p * 8);
            case I32 -> data.get(I32_LE, p * 4);
            case I16 -> data.get(I16_LE, p * 2);
            case I8 -> data.get(ValueLayout.JAVA_BYTE, p);
            case U8, BOOL -> Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, p));
        };
    }

    /** All elements in row-major logical order, widened to float, on the heap. */
    public float[] toFloatArray() {
        long n = numel();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalStateException("tensor too large for a heap array: " + n);
        float[] out = new float[(int) n];
        if (dtype == DType.F32 && isContiguousFast()) {
            MemorySegment.copy(data, F32_LE, 0, out, 0, out.length);
            return out;
        }
        for (int i = 0; i < out.length; i++) out[i] = getFloat(i);
        return out;
    }

    /** All elements in row-major logical order as longs (integer tensors). */
    public long[] toLongArray() {
        long[] out = new long[Math.toIntExact(numel())];
        for (int i = 0; i < out.length; i++) out[i] = getLong(i);
        return out;
    }

    /** A contiguous F32 copy in fresh off-heap memory. */
    public Tensor toF32() {
        return f32(toFloatArray(), shape);
    }

    @Override
    public String toString() {
        return "Tensor[" + dtype + " " + shapeString() + "]";
    }
}
