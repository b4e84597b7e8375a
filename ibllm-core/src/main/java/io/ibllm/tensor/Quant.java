package io.ibllm.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** GGML block layouts: Q8_0 = fp16 scale + 32 int8; Q4_0 = fp16 scale + 16 bytes of nibbles. */
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
}
