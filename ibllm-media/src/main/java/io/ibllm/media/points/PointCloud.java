package io.ibllm.media.points;

import io.ibllm.tensor.Tensor;

/** N points as x,y,z float32 triples, row-major [N, 3]. */
public record PointCloud(float[] xyz) {
    public PointCloud {
        if (xyz.length % 3 != 0) throw new IllegalArgumentException("xyz length " + xyz.length + " is not a multiple of 3");
    }

    public int size() { return xyz.length / 3; }

    public Tensor tensor() { return Tensor.f32(xyz, size(), 3); }

    /**
     * Point-BERT's pc_normalize (the form its training data had): subtract the centroid, divide by
     * the largest distance from it. Sums run in double; a single point (radius 0) is only centred.
     */
    public PointCloud normalized() {
        int n = size();
        double[] c = new double[3];
        for (int i = 0; i < n; i++) for (int k = 0; k < 3; k++) c[k] += xyz[3 * i + k];
        for (int k = 0; k < 3; k++) c[k] /= n;
        double radius = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < 3; k++) s += (xyz[3 * i + k] - c[k]) * (xyz[3 * i + k] - c[k]);
            radius = Math.max(radius, Math.sqrt(s));
        }
        double scale = radius > 0 ? 1 / radius : 1;
        float[] out = new float[xyz.length];
        for (int i = 0; i < n; i++) for (int k = 0; k < 3; k++) out[3 * i + k] = (float) ((xyz[3 * i + k] - c[k]) * scale);
        return new PointCloud(out);
    }

    /**
     * Exactly {@code target} points, deterministically: more points are thinned by a uniform
     * stride (point floor(i*N/target)), fewer are repeated cyclically (point i mod N). The
     * reference does neither; this is only applied when asked for (a fixed encoder batch size).
     */
    public PointCloud resampled(int target) {
        int n = size();
        if (target <= 0 || target == n) return this;
        float[] out = new float[3 * target];
        for (int i = 0; i < target; i++) {
            int src = n > target ? (int) ((long) i * n / target) : i % n;
            System.arraycopy(xyz, 3 * src, out, 3 * i, 3);
        }
        return new PointCloud(out);
    }
}
