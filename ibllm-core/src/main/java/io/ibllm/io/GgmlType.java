package io.ibllm.io;

import io.ibllm.tensor.DType;
import java.util.Map;

/** GGML tensor type ids as GGUF stores them, for the dtypes ibllm supports. */
final class GgmlType {
    private static final Map<Integer, DType> BY_ID = Map.of(
            0, DType.F32, 1, DType.F16, 2, DType.Q4_0, 8, DType.Q8_0, 30, DType.BF16,
            24, DType.I8, 25, DType.I16, 26, DType.I32, 27, DType.I64, 28, DType.F64);
    private static final String[] NAMES = {"F32", "F16", "Q4_0", "Q4_1", "Q4_2", "Q4_3", "Q5_0", "Q5_1", "Q8_0", "Q8_1",
        "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K", "IQ2_XXS", "IQ2_XS", "IQ3_XXS", "IQ1_S", "IQ4_NL", "IQ3_S",
        "IQ2_S", "IQ4_XS", "I8", "I16", "I32", "I64", "F64", "IQ1_M", "BF16", "Q4_0_4_4", "Q4_0_4_8", "Q4_0_8_8",
        "TQ1_0", "TQ2_0", "IQ4_NL_4_4", "IQ4_NL_4_8", "IQ4_NL_8_8", "MXFP4"};

    private GgmlType() {}

    /** The dtype of a GGML type id, or null if ibllm cannot compute with it. */
    static DType dtype(long id) {
        return id >= 0 && id < 64 ? BY_ID.get((int) id) : null;
    }

    static String name(long id) {
        return id >= 0 && id < NAMES.length ? NAMES[(int) id] : "unknown";
    }

    static int id(DType d) {
        for (var e : BY_ID.entrySet()) if (e.getValue() == d) return e.getKey();
        throw new IllegalArgumentException("GGUF has no type for " + d);
    }
}
