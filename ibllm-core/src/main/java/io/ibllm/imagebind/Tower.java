package io.ibllm.imagebind;

import io.ibllm.tensor.Tensor;

/** A transformer tower: preprocessor (stem, cls, positions) → trunk → head, plus its postprocessor. */
public record Tower(Modality modality, Preprocessor preprocessor, Transformer trunk, Head head, Postprocessor postprocessor)
        implements ModalityEncoder {

    @Override public int outDim() { return head.outDim(); }

    @Override
    public float[] encode(Tensor batch) {
        Tokens t = preprocessor.apply(batch);
        return head.apply(trunk.forward(t), t);
    }
}
