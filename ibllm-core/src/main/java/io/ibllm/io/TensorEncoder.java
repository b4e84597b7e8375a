package io.ibllm.io;

import io.ibllm.tensor.DType;
import io.ibllm.tensor.Parallel;
import io.ibllm.tensor.Quant;
import io.ibllm.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.function.LongConsumer;

/**
 * Writes a tensor's values in another dtype (F32, F16 or GGML's Q8_0/Q4_0) chunk by chunk, so a
 * converter streams a 20 GB checkpoint through a few MB of heap. Quantisation uses the
 * GGML-exact block quantisers of {@link Quant}, blocks in parallel.
 */
public final class TensorEncoder {
    private static final int BLOCKS_PER_CHUNK = 1 << 13; // 256 Ki values per chunk
    private static final ValueLayout.OfFloat F32_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort I16_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private TensorEncoder() {}

    /** Whether {@code t} can be written as {@code to}: same dtype, or float to F32/F16/Q8_0/Q4_0 (rows of whole blocks). */
    public static boolean canEncode(Tensor t, DType to) {
        if (to == t.dtype()) return true;
        boolean floatSource = t.dtype().isFloating() || t.dtype().isQuantized();
        if (!floatSource) return false;
        if (to == DType.F32 || to == DType.F16) return true;
        return (to == DType.Q8_0 || to == DType.Q4_0) && t.rank() > 0 && t.dim(-1) % 32 == 0;
    }

    /**
     * Writes {@code t} as {@code to} (exactly {@code to.byteSize(numel)} bytes); {@code progress}
     * receives the source bytes done after each chunk.
     */
    public static void write(OutputStream out, Tensor t, DType to, LongConsumer progress) throws IOException {
        if (!canEncode(t, to)) throw new IllegalArgumentException("cannot write a " + t.dtype() + " tensor " + t.shapeString() + " as " + to);
        if (to == t.dtype()) {
            TensorBytes.write(out, t);
            progress.accept(TensorBytes.size(t));
            return;
        }
        long n = t.numel();
        int chunkValues = 32 * BLOCKS_PER_CHUNK;
        byte[] buf = new byte[(int) to.byteSize(chunkValues)];
        MemorySegment seg = MemorySegment.ofArray(buf);
        double srcPerValue = (double) TensorBytes.size(t) / Math.max(1, n);
        for (long start = 0; start < n; start += chunkValues) {
            int count = (int) Math.min(chunkValues, n - start);
            encode(t, start, count, to, seg);
            out.write(buf, 0, (int) to.byteSize(count));
            progress.accept((long) (count * srcPerValue));
        }
    }

    /** Values [start, start+count) of t into dst as {@code to}; for Q types count is a multiple of 32. */
    private static void encode(Tensor t, long start, int count, DType to, MemorySegment dst) {
        int blocks = (count + 31) / 32;
        Parallel.forRange(blocks, 64, (b0, b1) -> {
            float[] x = new float[32];
            for (int b = b0; b < b1; b++) {
                int len = Math.min(32, count - 32 * b);
                for (int j = 0; j < len; j++) x[j] = t.getFloat(start + 32L * b + j);
                switch (to) {
                    case Q8_0 -> Quant.quantizeBlockQ8_0(x, 0, dst, 34L * b);
                    case Q4_0 -> Quant.quantizeBlockQ4_0(x, 0, dst, 18L * b);
                    case F16 -> {
                        for (int j = 0; j < len; j++) dst.set(I16_LE, 2L * (32L * b + j), Float.floatToFloat16(x[j]));
                    }
                    case F32 -> {
                        for (int j = 0; j < len; j++) dst.set(F32_LE, 4L * (32L * b + j), x[j]);
                    }
                    default -> throw new IllegalStateException("unreachable: " + to);
                }
            }
        });
    }

}
