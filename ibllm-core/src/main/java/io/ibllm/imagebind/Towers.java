package io.ibllm.imagebind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the six transformer towers from a checkpoint: widths, depths, kernels and the output
 * width come from the tensors (cross-checked against keys the config sets), head counts and
 * input geometry from the config.
 */
final class Towers {
    private Towers() {}

    static Tower load(Weights w, ImageBindConfig c, Modality m) {
        String normKey = "modality_trunks." + m.key() + ".blocks.0.norm_1.weight";
        long[] ns = w.peekShape(normKey);
        if (ns.length != 1) throw w.error("tensor " + normKey + " has shape " + Arrays.toString(ns) + ", expected [D]");
        int dim = (int) ns[0];
        c.checkInferred(m.key() + "_embed_dim", dim, normKey + " " + Arrays.toString(ns));
        Preprocessor pre = switch (m) {
            case VISION -> VisionPreprocessor.load(w, c, dim);
            case TEXT -> TextPreprocessor.load(w, dim);
            case AUDIO -> PatchPreprocessor.loadAudio(w, c, dim);
            case DEPTH -> PatchPreprocessor.loadImageLike(w, c, m, "depth_stem", dim);
            case THERMAL -> PatchPreprocessor.loadImageLike(w, c, m, "rgbt_stem", dim);
            case IMU -> ImuPreprocessor.load(w, c, dim);
            case POINT -> throw new IllegalArgumentException("the point tower is not a transformer tower");
        };
        Transformer trunk = trunk(w, c, m, dim);
        String h = "modality_heads." + m.key();
        Head head = switch (m) {
            case TEXT -> Head.load(w, h + ".proj.0", h + ".proj.1", dim);
            case IMU -> Head.load(w, h + ".0", h + ".3", dim);
            default -> Head.load(w, h + ".0", h + ".2", dim);
        };
        c.checkInferred("out_embed_dim", head.outDim(), head.proj().weight().shapeString() + " of the " + m.key() + " head");
        Postprocessor post = m == Modality.VISION ? Postprocessor.normalizeOnly() : Postprocessor.load(w, m);
        return new Tower(m, pre, trunk, head, post);
    }

    private static Transformer trunk(Weights w, ImageBindConfig c, Modality m, int dim) {
        String p = "modality_trunks." + m.key() + ".";
        int depth = w.countIndexed(p + "blocks.");
        c.checkInferred(m.key() + "_num_blocks", depth, "tensors " + p + "blocks.0.." + (depth - 1) + ".*");
        int heads = c.integer(m.key() + "_num_heads");
        if (dim % heads != 0) {
            throw w.error("imagebind." + m.key() + "_num_heads = " + heads + " (from " + c.describe()
                    + ") does not divide the " + m.key() + " width " + dim);
        }
        LayerNorm pre = m == Modality.VISION ? LayerNorm.load(w, p + "pre_transformer_layer.0", dim, LayerNorm.EPS_BLOCK) : null;
        boolean biasKv = m != Modality.VISION && m != Modality.TEXT;
        List<TransformerBlock> blocks = new ArrayList<>();
        for (int i = 0; i < depth; i++) blocks.add(TransformerBlock.load(w, p + "blocks." + i, dim, heads, biasKv));
        return new Transformer(pre, blocks);
    }
}
