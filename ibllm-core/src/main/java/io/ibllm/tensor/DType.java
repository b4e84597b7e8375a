package io.ibllm.tensor;

/**
 * Element types of tensors. Quantised types store blocks of {@link #blockSize()} values in
 * {@link #blockBytes()} bytes, laid out exactly as GGML does (fp16 scale first, then quants).
 */
public enum DType {
    F32(1, 4), F16(1, 2), BF16(1, 2), F64(1, 8),
    Q8_0(32, 34), Q4_0(32, 18),
    I64(1, 8), I32(1, 4), I16(1, 2), I8(1, 1), U8(1, 1), BOOL(1, 1);

    private final int blockSize;
    private final int blockBytes;

    DType(int blockSize, int blockBytes) {
        this.blockSize = blockSize;
        this.blockBytes = blockBytes;
    }

    /** Values per block (1 for plain types). */
    public int blockSize() { return blockSize; }

    /** Bytes per block (the element size for plain types). */
    public int blockBytes() { return blockBytes; }

    public boolean isQuantized() { return blockSize > 1; }

    public boolean isFloating() { return this == F32 || this == F16 || this == BF16 || this == F64; }

    /** Bytes needed for {@code numel} values; numel must be a multiple of the block size. */
    public long byteSize(long numel) {
        if (numel % blockSize != 0) {
            throw new IllegalArgumentException(this + " needs a multiple of " + blockSize + " values, got " + numel);
        }
        return Math.multiplyExact(numel / blockSize, (long) blockBytes);
    }
}
