package io.ibllm.bind;

import io.ibllm.tensor.Parallel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.ConcurrentLinkedQueue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Exact top-k over n float32 rows of d values (usually a mapped FAISS flat index): every row is
 * scored against every query of a batch in ONE pass over the rows. The rows are split into one
 * contiguous chunk per pool thread; each chunk is walked in blocks small enough to stay in the
 * core's L2 cache while all queries visit them, so a batch reads the file once, not once per query.
 *
 * <p>Scores are bit-for-bit independent of threads, batch size and tiling: each (row, query)
 * score has its own accumulator, summed vector by vector in row order, the lanes then added in
 * lane order (not reduceLanes, whose order may change between interpreter and JIT), then the
 * scalar tail. Inner product (larger is better) or squared L2 distance (smaller is better).
 */
final class FlatScan {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED.length() > 16
            ? FloatVector.SPECIES_512 : FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** Rows visited by all queries before moving on: well inside a 1 MiB L2 with the queries. */
    private static final long BLOCK_BYTES = 192 << 10;

    private final MemorySegment rows;
    private final int n;
    private final int d;
    private final boolean l2;
    private final long rowBytes;
    private final int upper;
    private final int blockRows;

    FlatScan(MemorySegment rows, int n, int d, boolean l2) {
        if (rows.byteSize() < (long) n * d * Float.BYTES) throw new IllegalArgumentException("cache segment shorter than " + n + "x" + d + " floats");
        this.rows = rows;
        this.n = n;
        this.d = d;
        this.l2 = l2;
        this.rowBytes = (long) d * Float.BYTES;
        this.upper = F.loopBound(d);
        this.blockRows = (int) Math.max(4, BLOCK_BYTES / rowBytes);
    }

    /**
     * The k best rows of each query, best first: largest inner product, or smallest squared L2
     * distance; ties by lower row. k is clipped to n.
     */
    VisualCache.Neighbours[] search(float[][] queries, int k) {
        for (float[] q : queries) {
            if (q.length != d) throw new IllegalArgumentException("query has " + q.length + " values, cache vectors have " + d);
        }
        int kk = Math.min(k, n);
        ConcurrentLinkedQueue<BestK[]> parts = new ConcurrentLinkedQueue<>();
        Parallel.forRange(n, (s, e) -> parts.add(scan(queries, kk, s, e)));
        VisualCache.Neighbours[] out = new VisualCache.Neighbours[queries.length];
        for (int q = 0; q < queries.length; q++) {
            BestK all = new BestK(kk);
            for (BestK[] p : parts) all.addAll(p[q]);
            out[q] = all.drain();
            if (l2) for (int j = 0; j < out[q].sims().length; j++) out[q].sims()[j] = -out[q].sims()[j];
        }
        return out;
    }

    /** The k best of rows [start, end) for every query. */
    private BestK[] scan(float[][] qs, int k, int start, int end) {
        BestK[] best = new BestK[qs.length];
        for (int q = 0; q < qs.length; q++) best[q] = new BestK(k);
        float[] lanes = new float[L];
        for (int r0 = start; r0 < end; r0 += blockRows) {
            int r1 = Math.min(end, r0 + blockRows);
            int q = 0;
            if (!l2) {
                for (; q + 4 <= qs.length; q += 4) block4(qs, q, r0, r1, best, lanes);
            }
            for (; q < qs.length; q++) block1(qs[q], r0, r1, best[q], lanes);
        }
        return best;
    }

    private FloatVector row(long off, int i) {
        return FloatVector.fromMemorySegment(F, rows, off + (long) i * Float.BYTES, LE);
    }

    /** Inner products of four queries with rows [r0, r1), two rows at a time (8 accumulators). */
    private void block4(float[][] qs, int q, int r0, int r1, BestK[] best, float[] lanes) {
        float[] a = qs[q], b = qs[q + 1], c = qs[q + 2], e = qs[q + 3];
        int r = r0;
        for (; r + 2 <= r1; r += 2) {
            long o0 = r * rowBytes, o1 = o0 + rowBytes;
            FloatVector a0 = FloatVector.zero(F), b0 = a0, c0 = a0, e0 = a0, a1 = a0, b1 = a0, c1 = a0, e1 = a0;
            for (int i = 0; i < upper; i += L) {
                FloatVector x0 = row(o0, i), x1 = row(o1, i);
                FloatVector va = FloatVector.fromArray(F, a, i), vb = FloatVector.fromArray(F, b, i);
                FloatVector vc = FloatVector.fromArray(F, c, i), ve = FloatVector.fromArray(F, e, i);
                a0 = x0.fma(va, a0);
                b0 = x0.fma(vb, b0);
                c0 = x0.fma(vc, c0);
                e0 = x0.fma(ve, e0);
                a1 = x1.fma(va, a1);
                b1 = x1.fma(vb, b1);
                c1 = x1.fma(vc, c1);
                e1 = x1.fma(ve, e1);
            }
            best[q].offer(dotEnd(a0, lanes, o0, a), r);
            best[q + 1].offer(dotEnd(b0, lanes, o0, b), r);
            best[q + 2].offer(dotEnd(c0, lanes, o0, c), r);
            best[q + 3].offer(dotEnd(e0, lanes, o0, e), r);
            best[q].offer(dotEnd(a1, lanes, o1, a), r + 1);
            best[q + 1].offer(dotEnd(b1, lanes, o1, b), r + 1);
            best[q + 2].offer(dotEnd(c1, lanes, o1, c), r + 1);
            best[q + 3].offer(dotEnd(e1, lanes, o1, e), r + 1);
        }
        if (r < r1) {
            for (int j = 0; j < 4; j++) block1(qs[q + j], r, r1, best[q + j], lanes);
        }
    }

    /**
     * One query against rows [r0, r1), four rows at a time: four independent FMA chains hide the
     * FMA latency, so one core scores rows faster than memory delivers them. L2 scores are
     * negated distances.
     */
    private void block1(float[] q, int r0, int r1, BestK best, float[] lanes) {
        int r = r0;
        for (; r + 4 <= r1; r += 4) {
            long o0 = r * rowBytes, o1 = o0 + rowBytes, o2 = o1 + rowBytes, o3 = o2 + rowBytes;
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            if (l2) {
                for (int i = 0; i < upper; i += L) {
                    FloatVector v = FloatVector.fromArray(F, q, i);
                    FloatVector d0 = row(o0, i).sub(v), d1 = row(o1, i).sub(v), d2 = row(o2, i).sub(v), d3 = row(o3, i).sub(v);
                    s0 = d0.fma(d0, s0);
                    s1 = d1.fma(d1, s1);
                    s2 = d2.fma(d2, s2);
                    s3 = d3.fma(d3, s3);
                }
            } else {
                for (int i = 0; i < upper; i += L) {
                    FloatVector v = FloatVector.fromArray(F, q, i);
                    s0 = row(o0, i).fma(v, s0);
                    s1 = row(o1, i).fma(v, s1);
                    s2 = row(o2, i).fma(v, s2);
                    s3 = row(o3, i).fma(v, s3);
                }
            }
            best.offer(score(s0, lanes, o0, q), r);
            best.offer(score(s1, lanes, o1, q), r + 1);
            best.offer(score(s2, lanes, o2, q), r + 2);
            best.offer(score(s3, lanes, o3, q), r + 3);
        }
        for (; r < r1; r++) {
            long o = r * rowBytes;
            FloatVector s = FloatVector.zero(F);
            for (int i = 0; i < upper; i += L) {
                FloatVector v = FloatVector.fromArray(F, q, i);
                if (l2) {
                    FloatVector x = row(o, i).sub(v);
                    s = x.fma(x, s);
                } else {
                    s = row(o, i).fma(v, s);
                }
            }
            best.offer(score(s, lanes, o, q), r);
        }
    }

    private float score(FloatVector acc, float[] lanes, long off, float[] q) {
        return l2 ? -distEnd(acc, lanes, off, q) : dotEnd(acc, lanes, off, q);
    }

    /** Lane sum in lane order, then the scalar tail of the inner product. */
    private float dotEnd(FloatVector acc, float[] lanes, long off, float[] q) {
        float s = laneSum(acc, lanes);
        for (int i = upper; i < d; i++) s += rows.get(LE_FLOAT, off + (long) i * Float.BYTES) * q[i];
        return s;
    }

    private float distEnd(FloatVector acc, float[] lanes, long off, float[] q) {
        float s = laneSum(acc, lanes);
        for (int i = upper; i < d; i++) {
            float x = rows.get(LE_FLOAT, off + (long) i * Float.BYTES) - q[i];
            s += x * x;
        }
        return s;
    }

    private static float laneSum(FloatVector acc, float[] lanes) {
        acc.intoArray(lanes, 0);
        float s = 0f;
        for (float v : lanes) s += v;
        return s;
    }

    /** The inner product of row r with q, exactly as an inner-product scan computes it. */
    float innerProduct(long r, float[] q) {
        long o = r * rowBytes;
        FloatVector s = FloatVector.zero(F);
        for (int i = 0; i < upper; i += L) s = row(o, i).fma(FloatVector.fromArray(F, q, i), s);
        return dotEnd(s, new float[L], o, q);
    }
}
