package io.ibllm.io;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** .npy files written by numpy 2.4 in format versions 1-3, C and Fortran order. */
class NpyTest {
    private static final Map<String, DType> TYPES = Map.of("f2", DType.F16, "f4", DType.F32, "f8", DType.F64,
            "i4", DType.I32, "i8", DType.I64, "u1", DType.U8, "b1", DType.BOOL);

    @ParameterizedTest
    @ValueSource(strings = {"f2", "f4", "f8", "i4", "i8", "u1", "b1"})
    void everyVersionAndOrderReadsTheSameValues(String type) {
        double[] base = toDoubles(Npy.read(Fixtures.file("npy_expected_f8.npy")));
        for (int v = 1; v <= 3; v++) {
            for (String order : new String[] {"C", "F"}) {
                Tensor t = Npy.read(Fixtures.file("npy_" + type + "_v" + v + "_" + order + ".npy"));
                String what = type + " v" + v + " " + order;
                assertEquals(TYPES.get(type), t.dtype(), what);
                assertArrayEquals(new long[] {3, 4}, t.shape(), what);
                assertEquals(order.equals("C"), t.isContiguous(), what);
                for (int i = 0; i < base.length; i++) assertEquals(expected(type, base[i]), value(t, i), Math.abs(base[i]) * 1e-3, what + " [" + i + "]");
            }
        }
    }

    /** numpy's astype from the float64 source: round to nearest for floats, truncation for ints. */
    private static double expected(String type, double x) {
        return switch (type) {
            case "f2", "f8" -> x;
            case "f4" -> (float) x;
            case "i4" -> (int) (x * 100);
            case "i8" -> (long) (x * 1e6);
            case "u1" -> (int) (Math.abs(x) * 50);
            case "b1" -> x > 0 ? 1 : 0;
            default -> throw new IllegalArgumentException(type);
        };
    }

    private static double value(Tensor t, int i) {
        return t.dtype().isFloating() ? t.getFloat(i) : t.getLong(i);
    }

    private static double[] toDoubles(Tensor t) {
        assertEquals(DType.F64, t.dtype());
        double[] d = new double[(int) t.numel()];
        for (int i = 0; i < d.length; i++) d[i] = t.segment().get(java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED, 8L * i);
        return d;
    }
}
