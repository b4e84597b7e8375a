package io.ibllm.imagebind;

import io.ibllm.tensor.Tensor;

/**
 * One ImageBind modality up to its head: a batch in the encoder's input layout [B, ...] →
 * embeddings [B, out] before the postprocessor. The six transformer towers are {@link Tower}s,
 * the point modality is {@link PointTower}.
 */
public interface ModalityEncoder {
    Modality modality();

    /** Embedding width (out_embed_dim). */
    int outDim();

    /** Head outputs [B, outDim] row-major (the reference's "prenorm" output). */
    float[] encode(Tensor batch);

    /** The modality's postprocessor (normalise, logit scale). */
    Postprocessor postprocessor();
}
