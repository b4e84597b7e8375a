package io.ibllm.pointbind;

import io.ibllm.tensor.Ops;
import io.ibllm.tensor.Tensor;

/**
 * Point-BERT's transformer over patch tokens (PointTransformer.forward after grouping and the
 * patch encoder): reduce_dim, a cls token, a positional MLP on the patch centres that is added
 * again before EVERY block, a final LayerNorm, and the feature cat(x[cls], max over patches).
 */
final class PointTransformer {
    private static final float LN_EPS = 1e-5f;

    private final Tensor reduceW, pos1W, pos2W;
    private final float[] reduceB, clsToken, clsPos, pos1B, pos2B, normW, normB;
    private final PointBlock[] blocks;
    final int dim;

    private PointTransformer(StrictKeys k, String p, PointBertConfig cfg) {
        dim = cfg.transDim();
        reduceW = k.get(p + "reduce_dim.weight", dim, cfg.encoderDims());
        reduceB = k.get(p + "reduce_dim.bias", dim).toFloatArray();
        clsToken = k.get(p + "cls_token", 1, 1, dim).toFloatArray();
        clsPos = k.get(p + "cls_pos", 1, 1, dim).toFloatArray();
        Tensor p1 = k.get(p + "pos_embed.0.weight", StrictKeys.ANY, 3);
        int posHidden = (int) p1.dim(0);
        pos1W = p1;
        pos1B = k.get(p + "pos_embed.0.bias", posHidden).toFloatArray();
        pos2W = k.get(p + "pos_embed.2.weight", dim, posHidden);
        pos2B = k.get(p + "pos_embed.2.bias", dim).toFloatArray();
        blocks = new PointBlock[cfg.depth()];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = PointBlock.load(k, p + "blocks.blocks." + i + ".", dim, cfg.numHeads());
        }
        normW = k.get(p + "norm.weight", dim).toFloatArray();
        normB = k.get(p + "norm.bias", dim).toFloatArray();
    }

    static PointTransformer load(StrictKeys keys, String prefix, PointBertConfig cfg) {
        return new PointTransformer(keys, prefix, cfg);
    }

    /** The feature [2·dim] of patch tokens [g, encoderDims] with centres [g, 3]. */
    float[] features(float[] tokens, float[] centres, int g) {
        int t = g + 1;
        float[] x = new float[t * dim], pos = new float[t * dim];
        System.arraycopy(clsToken, 0, x, 0, dim);
        System.arraycopy(clsPos, 0, pos, 0, dim);
        float[] reduced = affine(reduceW, reduceB, tokens, g);
        System.arraycopy(reduced, 0, x, dim, g * dim);
        float[] hidden = affine(pos1W, pos1B, centres, g);
        Ops.gelu(hidden, 0, hidden.length);
        System.arraycopy(affine(pos2W, pos2B, hidden, g), 0, pos, dim, g * dim);
        for (PointBlock b : blocks) {
            for (int i = 0; i < x.length; i++) x[i] += pos[i];
            b.forward(x, t);
        }
        for (int r = 0; r < t; r++) Ops.layerNorm(x, r * dim, x, r * dim, normW, normB, dim, LN_EPS);
        float[] feat = new float[2 * dim];
        System.arraycopy(x, 0, feat, 0, dim);
        java.util.Arrays.fill(feat, dim, 2 * dim, Float.NEGATIVE_INFINITY);
        for (int r = 1; r < t; r++) {
            for (int j = 0; j < dim; j++) feat[dim + j] = Math.max(feat[dim + j], x[r * dim + j]);
        }
        return feat;
    }

    /** x·Wᵀ + b for rows of x. */
    static float[] affine(Tensor w, float[] b, float[] x, int rows) {
        int o = (int) w.dim(0);
        float[] out = new float[rows * o];
        Ops.matmul(w, x, rows, out);
        for (int r = 0; r < rows; r++) for (int j = 0; j < o; j++) out[r * o + j] += b[j];
        return out;
    }
}
