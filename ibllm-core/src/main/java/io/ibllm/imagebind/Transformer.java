package io.ibllm.imagebind;

import java.util.List;

/**
 * The reference's SimpleTransformer trunk: optional pre-transformer LayerNorm (vision only),
 * then the blocks. The reference runs it sequence-first; attention is per sequence either way,
 * so activations stay [batch, len, D] here.
 */
public final class Transformer {
    private final LayerNorm preNorm;
    private final List<TransformerBlock> blocks;

    Transformer(LayerNorm preNorm, List<TransformerBlock> blocks) {
        this.preNorm = preNorm;
        this.blocks = List.copyOf(blocks);
    }

    public int depth() { return blocks.size(); }

    /** Trunk output [batch*len, D] for tokens [batch*len, D] (not modified). */
    public float[] forward(Tokens t) {
        float[] x = preNorm == null ? t.x().clone() : preNorm.apply(t.x(), t.batch() * t.len());
        for (TransformerBlock b : blocks) b.forward(x, t.batch(), t.len(), t.mask());
        return x;
    }
}
