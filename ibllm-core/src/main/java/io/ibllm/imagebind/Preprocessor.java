package io.ibllm.imagebind;

import io.ibllm.tensor.Tensor;
import java.util.Arrays;

/** A modality's stem: a batch in the encoder's input layout → trunk tokens (cls and positions added). */
public interface Preprocessor {
    /** Token width D of the tower. */
    int dim();

    /** Tokens of a batch [B, ...] (one item per leading index). */
    Tokens apply(Tensor batch);

    /** An input-layout error naming the modality, the expected and the actual shape. */
    static IllegalArgumentException badInput(Modality m, Tensor t, String expected) {
        return new IllegalArgumentException(m.key() + " input has shape " + Arrays.toString(t.shape()) + ", expected " + expected);
    }

    /** Size of dimension {@code i} as an int (inputs are bounded by the heap arrays they become). */
    static int size(Tensor t, int i) { return Math.toIntExact(t.dim(i)); }
}
