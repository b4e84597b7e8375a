package io.ibllm.imagebind;

/**
 * A modality head: LayerNorm (eps 1e-6) of the selected token (the CLS token 0, or for text the
 * argmax-id position; LayerNorm is per token, so normalising only that one is the same), then a
 * bias-free Linear(D → out). IMU's Dropout and the point head's are inactive at inference.
 */
public record Head(LayerNorm norm, Linear proj) {

    /** Loads {@code normPrefix.{weight,bias}} [dim] and {@code projPrefix.weight} [out, dim]. */
    public static Head load(Weights w, String normPrefix, String projPrefix, int dim) {
        LayerNorm norm = LayerNorm.load(w, normPrefix, dim, LayerNorm.EPS_BLOCK);
        long[] ps = w.peekShape(projPrefix + ".weight");
        if (ps.length != 2) throw w.error("tensor " + projPrefix + ".weight must be [out, " + dim + "]");
        return new Head(norm, Linear.load(w, projPrefix, (int) ps[0], dim, false));
    }

    public int outDim() { return proj.out(); }

    /** Head outputs [batch, out] of a trunk output [batch, len, D], reading tokens.select(). */
    public float[] apply(float[] trunk, Tokens t) {
        int d = t.dim();
        float[] picked = new float[t.batch() * d];
        for (int b = 0; b < t.batch(); b++) {
            int token = t.select() == null ? 0 : t.select()[b];
            System.arraycopy(trunk, (b * t.len() + token) * d, picked, b * d, d);
        }
        return apply(picked, t.batch());
    }

    /** Head outputs [rows, out] of features [rows, D] (no token selection: the point head). */
    public float[] apply(float[] features, int rows) {
        return proj.apply(norm.apply(features, rows), rows);
    }
}
