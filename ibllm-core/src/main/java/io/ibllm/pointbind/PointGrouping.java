package io.ibllm.pointbind;

import io.ibllm.tensor.Parallel;
import java.util.Arrays;

/**
 * Point-BERT's grouping of a cloud into local patches: farthest-point sampling picks the patch
 * centres, k-nearest-neighbours gathers each patch, and the patch is expressed relative to its
 * centre. Points are row-major [n, 3] float32.
 */
public final class PointGrouping {
    private PointGrouping() {}

    /** One cloud's patches: centres [g, 3] and neighbourhoods [g, k, 3] (points minus centre). */
    public record Groups(int groups, int groupSize, int[] centreIndex, float[] centres, int[] neighbourIndex,
                         float[] neighbourhoods) {}

    /** Checks that a cloud can be grouped; one-line errors naming the problem. */
    public static void validate(float[] xyz, int off, int n, int numGroup, int groupSize, int start) {
        if (n < numGroup || n < groupSize) {
            throw new IllegalArgumentException("point cloud has " + n + " points; Point-BERT needs at least "
                    + Math.max(numGroup, groupSize) + " (num_group " + numGroup + ", group_size " + groupSize + ")");
        }
        if (start < 0 || start >= n) {
            throw new IllegalArgumentException("fps start index " + start + " is outside the cloud's " + n + " points");
        }
        for (int i = off; i < off + 3 * n; i++) {
            if (!Float.isFinite(xyz[i])) {
                throw new IllegalArgumentException("point " + (i - off) / 3 + " has a non-finite coordinate " + xyz[i]);
            }
        }
    }

    /** Centres and neighbourhoods of the cloud xyz[off, off + 3n). */
    public static Groups group(float[] xyz, int off, int n, int numGroup, int groupSize, int start) {
        validate(xyz, off, n, numGroup, groupSize, start);
        return gather(xyz, off, n, farthestPointSample(xyz, off, n, numGroup, start), groupSize);
    }

    /** Groups around already sampled centres (lets a batch sample all clouds' centres in parallel). */
    static Groups gather(float[] xyz, int off, int n, int[] centreIndex, int groupSize) {
        int g = centreIndex.length;
        float[] centres = new float[g * 3];
        for (int i = 0; i < g; i++) System.arraycopy(xyz, off + 3 * centreIndex[i], centres, 3 * i, 3);
        int[] nbr = nearest(xyz, off, n, centres, g, groupSize);
        float[] hood = new float[g * groupSize * 3];
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < groupSize; j++) {
                int p = off + 3 * nbr[i * groupSize + j], q = (i * groupSize + j) * 3;
                for (int c = 0; c < 3; c++) hood[q + c] = xyz[p + c] - centres[3 * i + c];
            }
        }
        return new Groups(g, groupSize, centreIndex, centres, nbr, hood);
    }

    /**
     * Farthest-point sampling as the reference's misc.fps: every point starts at distance 1e10;
     * each step records the current index, lowers every distance to the squared distance from
     * that point (float32, summed x, y, z in order) and moves to the first point of largest
     * distance. The reference draws {@code start} at random; it is a parameter here.
     */
    public static int[] farthestPointSample(float[] xyz, int off, int n, int count, int start) {
        // Coordinates split into x, y, z arrays so the distance update is a straight vector loop.
        float[] xs = new float[n], ys = new float[n], zs = new float[n];
        for (int j = 0, p = off; j < n; j++, p += 3) {
            xs[j] = xyz[p];
            ys[j] = xyz[p + 1];
            zs[j] = xyz[p + 2];
        }
        float[] dist = new float[n];
        Arrays.fill(dist, 1e10f);
        int[] idx = new int[count];
        int far = start;
        for (int i = 0; i < count; i++) {
            idx[i] = far;
            float cx = xs[far], cy = ys[far], cz = zs[far];
            for (int j = 0; j < n; j++) {
                float dx = xs[j] - cx, dy = ys[j] - cy, dz = zs[j] - cz;
                dist[j] = Math.min(dist[j], dx * dx + dy * dy + dz * dz);
            }
            far = firstMax(dist);
        }
        return idx;
    }

    /** Index of the largest value, the first one on ties (as torch.max over a dimension). */
    private static int firstMax(float[] v) {
        int at = 0;
        float best = v[0];
        for (int j = 1; j < v.length; j++) {
            if (v[j] > best) {
                best = v[j];
                at = j;
            }
        }
        return at;
    }

    /**
     * Indices [g, k] of the k points nearest each centre, by the reference's squared distance
     * -2·c·p + |c|² + |p|² (knn_point/square_distance); ties go to the lower index and each
     * row is sorted by distance (the reference leaves the order unspecified).
     */
    public static int[] nearest(float[] xyz, int off, int n, float[] centres, int g, int k) {
        float[] xs = new float[n], ys = new float[n], zs = new float[n], sq = new float[n];
        for (int j = 0, p = off; j < n; j++, p += 3) {
            xs[j] = xyz[p];
            ys[j] = xyz[p + 1];
            zs[j] = xyz[p + 2];
            sq[j] = xs[j] * xs[j] + ys[j] * ys[j] + zs[j] * zs[j];
        }
        int[] out = new int[g * k];
        Parallel.forRange(g, (s, e) -> {
            float[] d = new float[n], hd = new float[k];
            int[] hi = new int[k];
            for (int i = s; i < e; i++) {
                float cx = centres[3 * i], cy = centres[3 * i + 1], cz = centres[3 * i + 2];
                float sc = cx * cx + cy * cy + cz * cz;
                // Same operation order as the reference: -2·(c·p), then + |c|², then + |p|².
                for (int j = 0; j < n; j++) d[j] = -2f * (cx * xs[j] + cy * ys[j] + cz * zs[j]) + sc + sq[j];
                smallest(d, k, hd, hi);
                System.arraycopy(hi, 0, out, i * k, k);
            }
        });
        return out;
    }

    /** Indices of the k smallest of d into hi (sorted by value, lower index first on ties). */
    private static void smallest(float[] d, int k, float[] hd, int[] hi) {
        // A max-heap of the k best so far, ordered by (distance, index): the root is the worst kept.
        int size = 0;
        for (int j = 0; j < d.length; j++) {
            if (size < k) {
                siftUp(hd, hi, size++, d[j], j);
            } else if (d[j] < hd[0]) { // equal distance: the kept, lower index wins
                siftDown(hd, hi, k, d[j], j);
            }
        }
        sortByDistance(hd, hi, k);
    }

    private static boolean worse(float d1, int i1, float d2, int i2) {
        return d1 > d2 || (d1 == d2 && i1 > i2);
    }

    private static void siftUp(float[] hd, int[] hi, int at, float d, int j) {
        while (at > 0) {
            int parent = (at - 1) >>> 1;
            if (!worse(d, j, hd[parent], hi[parent])) break;
            hd[at] = hd[parent];
            hi[at] = hi[parent];
            at = parent;
        }
        hd[at] = d;
        hi[at] = j;
    }

    /** Replaces the root with (d, j) and restores the heap. */
    private static void siftDown(float[] hd, int[] hi, int size, float d, int j) {
        int at = 0;
        while (true) {
            int c = 2 * at + 1;
            if (c >= size) break;
            if (c + 1 < size && worse(hd[c + 1], hi[c + 1], hd[c], hi[c])) c++;
            if (!worse(hd[c], hi[c], d, j)) break;
            hd[at] = hd[c];
            hi[at] = hi[c];
            at = c;
        }
        hd[at] = d;
        hi[at] = j;
    }

    /** Insertion sort of the k kept neighbours by (distance, index); k is small (32). */
    private static void sortByDistance(float[] hd, int[] hi, int k) {
        for (int a = 1; a < k; a++) {
            float d = hd[a];
            int j = hi[a], b = a - 1;
            while (b >= 0 && worse(hd[b], hi[b], d, j)) {
                hd[b + 1] = hd[b];
                hi[b + 1] = hi[b];
                b--;
            }
            hd[b + 1] = d;
            hi[b + 1] = j;
        }
    }
}
