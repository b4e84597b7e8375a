package io.ibllm.bind;

/**
 * The k best (score, id) pairs offered so far. "Better" is a total order: higher score in
 * {@link Float#compare} order (NaN above everything, as torch.topk), equal scores by lower id.
 * Because the order is total, the k best of a union do not depend on how the rows were split
 * between threads or in which order the per-thread lists are merged.
 *
 * <p>A binary heap with the worst kept pair at the root: almost every candidate of a long scan
 * fails the one compare with the root, and any k (up to the whole cache) costs O(log k) per insert.
 */
final class BestK {
    private final int k;
    private final float[] scores;
    private final long[] ids;
    private int size;

    BestK(int k) {
        if (k < 1) throw new IllegalArgumentException("k must be at least 1, got " + k);
        this.k = k;
        this.scores = new float[k];
        this.ids = new long[k];
    }

    static boolean better(float s, long id, float t, long tid) {
        int c = Float.compare(s, t);
        return c > 0 || (c == 0 && id < tid);
    }

    /** Keeps (score, id) if it is among the k best offered so far. */
    void offer(float score, long id) {
        if (size < k) {
            int i = size++;
            while (i > 0) {   // sift up past better parents
                int p = (i - 1) >>> 1;
                if (!better(scores[p], ids[p], score, id)) break;
                scores[i] = scores[p];
                ids[i] = ids[p];
                i = p;
            }
            scores[i] = score;
            ids[i] = id;
        } else if (better(score, id, scores[0], ids[0])) {
            siftDown(score, id);
        }
    }

    /** Replaces the root (the worst kept pair) and restores the heap. */
    private void siftDown(float score, long id) {
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= size) break;
            if (c + 1 < size && better(scores[c], ids[c], scores[c + 1], ids[c + 1])) c++;   // the worse child
            if (!better(score, id, scores[c], ids[c])) break;
            scores[i] = scores[c];
            ids[i] = ids[c];
            i = c;
        }
        scores[i] = score;
        ids[i] = id;
    }

    void addAll(BestK other) {
        for (int i = 0; i < other.size; i++) offer(other.scores[i], other.ids[i]);
    }

    /** The kept pairs, best first (empties the heap). */
    VisualCache.Neighbours drain() {
        int n = size;
        float[] s = new float[n];
        long[] id = new long[n];
        for (int r = n - 1; r >= 0; r--) {   // the root is the worst: fill from the back
            s[r] = scores[0];
            id[r] = ids[0];
            size--;
            if (size > 0) siftDown(scores[size], ids[size]);
        }
        return new VisualCache.Neighbours(id, s);
    }
}
