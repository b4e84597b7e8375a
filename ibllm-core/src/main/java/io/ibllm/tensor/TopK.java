package io.ibllm.tensor;

import java.util.Arrays;

/**
 * Top-k selection: the k largest values, descending, ties broken by the lower index, NaN ranked
 * above everything (Float.compare order, as torch.topk). One pass keeping a sorted list of the
 * best k: after the first few hundred elements almost every candidate fails the single compare
 * with the current k-th value, so the pass costs about one compare per element.
 */
final class TopK {
    private TopK() {}

    static void topK(float[] x, int off, int n, int k, float[] values, int[] indices) {
        if (k < 0 || k > n) throw new IllegalArgumentException("top-k needs 0 <= k <= n, got k=" + k + " n=" + n);
        if (values.length < k || indices.length < k) throw new IllegalArgumentException("top-k outputs shorter than k=" + k);
        if (k == 0) return;
        if (k > 256) {
            bySort(x, off, n, k, values, indices);
            return;
        }
        int size = 0;
        for (int i = 0; i < n; i++) {
            float v = x[off + i];
            if (size == k && Float.compare(v, values[k - 1]) <= 0) continue;
            // Insert after every kept value >= v (earlier indices win ties).
            int at = size == k ? k - 1 : size;
            while (at > 0 && Float.compare(values[at - 1], v) < 0) {
                values[at] = values[at - 1];
                indices[at] = indices[at - 1];
                at--;
            }
            values[at] = v;
            indices[at] = i;
            if (size < k) size++;
        }
    }

    /** Large k: sort (−value, index) keys packed into longs. */
    private static void bySort(float[] x, int off, int n, int k, float[] values, int[] indices) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            int bits = Float.floatToIntBits(x[off + i]);
            int ordered = bits ^ ((bits >> 31) & 0x7FFFFFFF); // int order == Float.compare order
            keys[i] = ((long) ~ordered << 32) | i;
        }
        Arrays.sort(keys);
        for (int r = 0; r < k; r++) {
            int i = (int) keys[r];
            indices[r] = i;
            values[r] = x[off + i];
        }
    }

    /** Scalar twin: sort every index by the ordering, take the first k. */
    static void topKScalar(float[] x, int off, int n, int k, float[] values, int[] indices) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (p, q) -> {
            int c = Float.compare(x[off + q], x[off + p]);
            return c != 0 ? c : Integer.compare(p, q);
        });
        for (int r = 0; r < k; r++) {
            indices[r] = order[r];
            values[r] = x[off + order[r]];
        }
    }
}
