package io.ibllm.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ibllm.tensor.Tensor;
import java.lang.foreign.ValueLayout;
import java.util.Map;

/** Bitwise tensor comparison for format tests (dtype, shape, every element's bytes). */
final class TensorAssert {
    private TensorAssert() {}

    static void assertSameTensors(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        for (var e : expected.entrySet()) assertBitwiseEqual(e.getKey(), e.getValue(), actual.get(e.getKey()));
    }

    static void assertBitwiseEqual(String name, Tensor want, Tensor got) {
        assertEquals(want.dtype(), got.dtype(), name);
        assertArrayEquals(want.shape(), got.shape(), name);
        assertArrayEquals(logicalBytes(want), logicalBytes(got), name);
    }

    /** The elements' bytes in row-major logical order, following strides. */
    static byte[] logicalBytes(Tensor t) {
        int elem = t.dtype().blockBytes();
        if (t.dtype().isQuantized() || t.isContiguous()) return t.segment().toArray(ValueLayout.JAVA_BYTE);
        long[] shape = t.shape(), strides = t.strides();
        byte[] out = new byte[Math.toIntExact(t.numel() * elem)];
        for (int i = 0; i < t.numel(); i++) {
            long rest = i, p = 0;
            for (int d = shape.length - 1; d >= 0; d--) {
                p += (rest % shape[d]) * strides[d];
                rest /= shape[d];
            }
            for (int b = 0; b < elem; b++) out[i * elem + b] = t.segment().get(ValueLayout.JAVA_BYTE, p * elem + b);
        }
        return out;
    }
}
