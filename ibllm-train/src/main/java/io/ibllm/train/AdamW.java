package io.ibllm.train;

import java.util.List;

/**
 * AdamW exactly as torch 1.13's single-tensor float32 kernel: every Python double scalar is
 * rounded to float32 where it is applied and the moment updates use a fused multiply-add, so
 * equal gradients give bitwise-equal parameters.
 */
public final class AdamW {
    private final List<Param> params;
    private final float[][] expAvg;
    private final float[][] expAvgSq;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private long step;

    public AdamW(List<Param> params, double beta1, double beta2, double eps, double weightDecay) {
        this.params = List.copyOf(params);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.expAvg = new float[params.size()][];
        this.expAvgSq = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            expAvg[i] = new float[params.get(i).size()];
            expAvgSq[i] = new float[params.get(i).size()];
        }
    }

    /** The reference defaults: betas (0.9, 0.95), eps 1e-8. */
    public static AdamW reference(List<Param> params, double weightDecay) {
        return new AdamW(params, 0.9, 0.95, 1e-8, weightDecay);
    }

    public long step() { return step; }
    public List<Param> params() { return params; }
    public float[] expAvg(int i) { return expAvg[i]; }
    public float[] expAvgSq(int i) { return expAvgSq[i]; }

    /** Restores moments and step count (resume). */
    public void restore(long step, float[][] m, float[][] v) {
        this.step = step;
        for (int i = 0; i < params.size(); i++) {
            System.arraycopy(m[i], 0, expAvg[i], 0, expAvg[i].length);
            System.arraycopy(v[i], 0, expAvgSq[i], 0, expAvgSq[i].length);
        }
    }

    /** One update with learning rate {@code lr} using each parameter's accumulated gradient. */
    public void update(double lr) {
        step++;
        double bc1 = 1.0 - Math.pow(beta1, step);
        double bc2 = 1.0 - Math.pow(beta2, step);
        float b1 = (float) beta1, oneMinusB1 = (float) (1.0 - beta1);
        float b2 = (float) beta2, oneMinusB2 = (float) (1.0 - beta2);
        float stepSize = (float) (-lr / bc1);
        float bc2Sqrt = (float) Math.sqrt(bc2);
        float epsF = (float) eps;
        for (int i = 0; i < params.size(); i++) {
            Param p = params.get(i);
            float decay = (float) (1.0 - lr * (p.decayed() ? weightDecay : 0.0));
            float[] w = p.data, g = p.grad, m = expAvg[i], v = expAvgSq[i];
            for (int j = 0; j < w.length; j++) {
                w[j] = w[j] * decay;
                m[j] = Math.fma(g[j], oneMinusB1, m[j] * b1);
                v[j] = Math.fma(oneMinusB2 * g[j], g[j], v[j] * b2);
                float denom = (float) Math.sqrt(v[j]) / bc2Sqrt + epsF;
                w[j] = w[j] + (stepSize * m[j]) / denom;
            }
        }
    }
}
