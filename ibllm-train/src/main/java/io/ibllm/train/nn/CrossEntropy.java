package io.ibllm.train.nn;

/**
 * Next-token cross-entropy: logits at position t predict labels[t+1]; label 0 is ignored; the
 * loss is the mean over every non-ignored target of the whole batch (not a mean of means).
 */
public final class CrossEntropy {
    private CrossEntropy() {}

    /** Result of the fused forward/backward: loss, target count, per-position nll and dlogits. */
    public record Result(double loss, int targets, float[] tokenNll, float[] dlogits) {}

    /** logits [B, T, V]; labels [B, T]. */
    public static Result forwardBackward(float[] logits, long[] labels, int batch, int seq, int vocab) {
        int count = 0;
        for (int b = 0; b < batch; b++) for (int t = 0; t + 1 < seq; t++) if (labels[b * seq + t + 1] != 0) count++;
        float[] dl = new float[logits.length];
        float[] nll = new float[batch * (seq - 1)];
        float sum = 0f;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t + 1 < seq; t++) {
                int target = (int) labels[b * seq + t + 1];
                if (target == 0) continue;
                if (target < 0 || target >= vocab) throw new IllegalArgumentException("label " + target + " outside the vocabulary");
                int o = (b * seq + t) * vocab;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < vocab; i++) max = Math.max(max, logits[o + i]);
                float z = 0f;
                for (int i = 0; i < vocab; i++) z += (float) Math.exp(logits[o + i] - max);
                float lse = max + (float) Math.log(z);
                float l = lse - logits[o + target];
                nll[b * (seq - 1) + t] = l;
                sum += l;
                for (int i = 0; i < vocab; i++) dl[o + i] = (float) Math.exp(logits[o + i] - lse) / count;
                dl[o + target] -= 1f / count;
            }
        }
        return new Result(count == 0 ? 0.0 : sum / count, count, nll, dl);
    }
}
