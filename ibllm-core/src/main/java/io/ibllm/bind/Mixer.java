package io.ibllm.bind;

import java.util.List;

/**
 * Multi-modal embedding arithmetic (spec §5): each embedding is L2-normalised
 * (x / max(‖x‖, 1e-12)), the weights become w / (Σw + 1e-6), and the result is the weighted sum
 * (not re-normalised; a single input of weight 1 gives n / 1.000001, as the reference).
 */
public final class Mixer {
    private Mixer() {}

    public static float[] mix(List<float[]> embeddings, float[] weights) {
        if (embeddings.isEmpty()) throw new IllegalArgumentException("nothing to mix: no inputs");
        if (weights.length != embeddings.size()) {
            throw new IllegalArgumentException(weights.length + " weights for " + embeddings.size() + " inputs");
        }
        int dim = embeddings.getFirst().length;
        double total = 0;
        for (float w : weights) total += w;
        float[] f = new float[dim];
        for (int m = 0; m < embeddings.size(); m++) {
            float[] e = embeddings.get(m);
            if (e.length != dim) {
                throw new IllegalArgumentException("input " + (m + 1) + " has " + e.length + " values, input 1 has " + dim);
            }
            float w = (float) (weights[m] / (total + 1e-6));
            float inv = 1f / Math.max(norm(e), 1e-12f);
            for (int i = 0; i < dim; i++) f[i] += w * (e[i] * inv);
        }
        return f;
    }

    /** ‖x‖₂, accumulated in double. */
    public static float norm(float[] x) {
        double ss = 0;
        for (float v : x) ss += (double) v * v;
        return (float) Math.sqrt(ss);
    }
}
