package io.ibllm.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * GGML block layouts: Q8_0 = fp16 scale + 32 int8; Q4_0 = fp16 scale + 16 bytes of nibbles.
 * The quantisers reproduce GGML's reference quantisers (quantize_row_q8_0_ref,
 * quantize_row_q4_0_ref) byte for byte: same scale, same rounding, fp16 by round-to-nearest-even.
 */
public final class Quant {
    private Quant() {}

    static float q8_0Get(MemorySegment data, long i) {
        long block = i / 32;
        int j = (int) (i % 32);
        long base = block * 34;
        float d = Float.float16ToFloat(data.get(Tensor.I16_LE, base));
        return d * data.get(ValueLayout.JAVA_BYTE, base + 2 + j);
    }

    /** Q4_0: byte k of a block holds value k in its low nibble and value k+16 in its high nibble. */
    static float q4_0Get(MemorySegment data, long i) {
        long block = i / 32;
        int j = (int) (i % 32);
        long base = block * 18;
        float d = Float.float16ToFloat(data.get(Tensor.I16_LE, base));
        int b = Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, base + 2 + (j & 15)));
        int q = j < 16 ? (b & 0x0F) : (b >>> 4);
        return d * (q - 8);
    }

    /** C's roundf: nearest, halves away from zero (Math.round would send −2.5 to −2). */
    static int roundHalfAway(float v) {
        return (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    }

    /** One Q8_0 block of x[off, off+32) into dst at dstOff (34 bytes): d = amax/127, q = round(x/d). */
    public static void quantizeBlockQ8_0(float[] x, int off, MemorySegment dst, long dstOff) {
        float amax = 0f;
        for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[off + j]));
        float d = amax / 127f;
        float id = d != 0f ? 1f / d : 0f;
        dst.set(Tensor.I16_LE, dstOff, Float.floatToFloat16(d));
        for (int j = 0; j < 32; j++) dst.set(ValueLayout.JAVA_BYTE, dstOff + 2 + j, (byte) roundHalfAway(x[off + j] * id));
    }

    /**
     * One Q4_0 block (18 bytes): max = the value of largest magnitude with its sign, d = max/−8,
     * q = min(15, trunc(x/d + 8.5)); byte j = q[j] | q[j+16] << 4.
     */
    public static void quantizeBlockQ4_0(float[] x, int off, MemorySegment dst, long dstOff) {
        float amax = 0f, max = 0f;
        for (int j = 0; j < 32; j++) {
            float v = x[off + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8f;
        float id = d != 0f ? 1f / d : 0f;
        dst.set(Tensor.I16_LE, dstOff, Float.floatToFloat16(d));
        for (int j = 0; j < 16; j++) {
            int lo = Math.min(15, (byte) (int) (x[off + j] * id + 8.5f));
            int hi = Math.min(15, (byte) (int) (x[off + 16 + j] * id + 8.5f));
            dst.set(ValueLayout.JAVA_BYTE, dstOff + 2 + j, (byte) (lo | (hi << 4)));
        }
    }

    /** An F32/F16/BF16 tensor quantised to Q8_0 or Q4_0 (row-major; numel a multiple of 32). */
    public static Tensor quantize(Tensor t, DType to) {
        if (to != DType.Q8_0 && to != DType.Q4_0) throw new IllegalArgumentException("can quantise to Q8_0 or Q4_0, not " + to);
        long n = t.numel();
        if (n % 32 != 0) throw new IllegalArgumentException(to + " needs a multiple of 32 values, tensor " + t.shapeString() + " has " + n);
        Tensor q = Tensor.allocate(to, t.shape());
        float[] block = new float[32];
        for (long b = 0; b < n / 32; b++) {
            for (int j = 0; j < 32; j++) block[j] = t.getFloat(b * 32 + j);
            if (to == DType.Q8_0) quantizeBlockQ8_0(block, 0, q.segment(), b * 34);
            else quantizeBlockQ4_0(block, 0, q.segment(), b * 18);
        }
        return q;
    }

    /** Any tensor widened to fp32 values in row-major order (the dequantiser for Q8_0/Q4_0). */
    public static float[] dequantize(Tensor t) {
        return t.toFloatArray();
    }
}
