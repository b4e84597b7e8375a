package io.ibllm.imagebind;

import io.ibllm.tensor.Tensor;

/**
 * The modality postprocessor: L2-normalise (eps 1e-12, as F.normalize), then multiply by
 * min(exp(log_logit_scale), 100) (LearnableLogitScaling; the learnable text scale and the
 * fixed audio/depth/thermal/IMU/point buffers alike). Vision has no scale.
 */
public record Postprocessor(float scale) {
    private static final float MAX_LOGIT_SCALE = 100f;

    /** Normalisation only (vision). */
    public static Postprocessor normalizeOnly() { return new Postprocessor(1f); }

    /** Loads {@code modality_postprocessors.<m>.1.log_logit_scale} (a scalar). */
    public static Postprocessor load(Weights w, Modality m) {
        String key = "modality_postprocessors." + m.key() + ".1.log_logit_scale";
        Tensor t = w.takeRank(key, 0);
        return new Postprocessor(Math.min((float) Math.exp(t.getFloat(0)), MAX_LOGIT_SCALE));
    }

    /** Postprocessed copy of {@code rows} embeddings [rows, dim]. */
    public float[] apply(float[] x, int rows) {
        int dim = x.length / rows;
        float[] out = new float[x.length];
        for (int r = 0; r < rows; r++) {
            double ss = 0;
            for (int i = 0; i < dim; i++) ss += (double) x[r * dim + i] * x[r * dim + i];
            float norm = (float) Math.max(Math.sqrt(ss), 1e-12);
            for (int i = 0; i < dim; i++) out[r * dim + i] = x[r * dim + i] / norm * scale;
        }
        return out;
    }
}
