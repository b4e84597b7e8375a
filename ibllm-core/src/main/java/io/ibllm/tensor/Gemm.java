package io.ibllm.tensor;

import static io.ibllm.tensor.Simd.F;
import static io.ibllm.tensor.Simd.L;

import jdk.incubator.vector.FloatVector;

/**
 * Tiled, multi-threaded fp32 GEMM C[m, n] (+)= A[m, k] · Bᵀ with B in any dtype, given by rows
 * [n, k] ({@link BRows}: weights in a forward pass, activations in attention) or straight as
 * panels ({@link Panel}: a weight used as Wᵀ in a backward pass, or stored as panels, {@link
 * PanelWeight}). Goto-style: A is packed once into MR-row tiles [kc][MR] per k-block of {@link
 * #KC}; then for each k-block and each NR-column panel, B is widened into an fp32 panel [kc][NR]
 * that stays in L1 while an MR×NR register tile (MR·2 vector accumulators) sweeps all of A.
 * Threads take chunks of columns (or of rows when there are too few columns) from a shared
 * counter, so no two threads write the same element and the summation order is fixed whoever
 * computes it.
 */
final class Gemm {
    static final int MR = 5;
    static final int NR = 2 * L;
    /** Multiple of 32 so quantised rows dequantise in whole blocks; 256·NR floats fit L1. */
    static final int KC = 256;
    /** Chunks per thread, taken by whichever thread is free. */
    private static final int CHUNKS = Integer.getInteger("ibllm.gemmChunks", 4);

    /** B by rows: row j, columns [k0, k0 + len) as fp32 into dst[dstOff...]. */
    @FunctionalInterface
    interface BRows { void row(int j, int k0, int len, float[] dst, int dstOff); }

    /**
     * B's panel for columns [j0, j0+nr) of C and k in [k0, k0+kc), as bp[p·NR + r] = B[j0+r][k0+p],
     * zero for r ≥ nr. {@link BRows} sources are transposed into it row by row; a source stored
     * k-major (a weight used as Wᵀ, as in a backward pass) copies it straight.
     */
    @FunctionalInterface
    interface Panel { void pack(int j0, int nr, int k0, int kc, float[] bp); }

    private static final class Scratch {
        /** The caller's A packed whole, shared read-only by every thread of its call. */
        float[] a = new float[0];
        final float[] b = new float[KC * NR];
        final float[] row = new float[KC];
        /** An edge tile (fewer than MR rows or NR columns) is computed whole here, then cut. */
        final float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private Gemm() {}

    /** c[cOff + i*n + j] = Σ_p a[aOff + i*k + p] · B[j][p] for i < m, j < n. */
    static void gemm(float[] a, int aOff, int m, int k, BRows b, int n, float[] c, int cOff) {
        gemm(a, aOff, m, k, rowsPanel(b), n, c, cOff, false);
    }

    /**
     * The same with B as panels; {@code accumulate} adds to c instead of overwriting it. A is
     * packed once, all threads together, then the threads take chunks of columns (or of rows,
     * when there are too few columns) from a shared counter: packing A per chunk would repeat it
     * in every chunk, and fixed halves leave one core idle whenever the host slows the other.
     */
    static void gemm(float[] a, int aOff, int m, int k, Panel b, int n, float[] c, int cOff, boolean accumulate) {
        if (m <= 0 || n <= 0) return;
        if (k == 0) {
            if (!accumulate) java.util.Arrays.fill(c, cOff, cOff + m * n, 0f);
            return;
        }
        Scratch s = SCRATCH.get();
        int tiles = (m + MR - 1) / MR;
        if (s.a.length < tiles * MR * k) s.a = new float[tiles * MR * k];
        float[] ap = s.a;
        Parallel.forRange(tiles, (t0, t1) -> packA(a, aOff, m, k, tiles, t0, t1, ap));
        int panels = (n + NR - 1) / NR;
        if (panels >= 2 * Parallel.activeThreads() || m <= MR) {
            Parallel.forChunks(n, NR, CHUNKS, (n0, n1) -> block(ap, k, tiles, 0, tiles, m, b, n0, n1, n, c, cOff, accumulate));
        } else {
            Parallel.forChunks(tiles, 1, CHUNKS, (t0, t1) -> block(ap, k, tiles, t0, t1, m, b, 0, n, n, c, cOff, accumulate));
        }
    }

    /** Tiles [t0, t1) of packed A times columns [n0, n1) of B, k-block by k-block. */
    private static void block(float[] ap, int k, int tiles, int t0, int t1, int m, Panel b, int n0, int n1, int ldc,
                              float[] c, int cOff, boolean accumulate) {
        Scratch s = SCRATCH.get();
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            boolean first = k0 == 0 && !accumulate;
            for (int j0 = n0; j0 < n1; j0 += NR) {
                int nr = Math.min(NR, n1 - j0);
                b.pack(j0, nr, k0, kc, s.b);
                for (int t = t0; t < t1; t++) {
                    int i0 = t * MR;
                    int mr = Math.min(MR, m - i0);
                    int ao = k0 * tiles * MR + t * MR * kc;
                    if (Simd.ENABLED && mr == MR && nr == NR) {
                        kernel(ap, ao, s.b, kc, c, cOff + i0 * ldc + j0, ldc, first);
                    } else if (Simd.ENABLED) {
                        kernel(ap, ao, s.b, kc, s.tile, 0, NR, true);
                        addTile(s.tile, c, cOff + i0 * ldc + j0, ldc, mr, nr, first);
                    } else {
                        kernelScalar(ap, ao, s.b, kc, c, cOff + i0 * ldc + j0, ldc, mr, nr, first);
                    }
                }
            }
        }
    }

    /**
     * Row tiles [t0, t1) of A [m, k] → k-block by k-block, each block's tiles contiguous
     * ([k/KC][tiles][kc][MR]: tile t of the block at k0 starts at k0·tiles·MR + t·MR·kc, so a
     * block's sweep reads one stream), zero rows past m.
     */
    private static void packA(float[] a, int aOff, int m, int k, int tiles, int t0, int t1, float[] ap) {
        for (int k0 = 0; k0 < k; k0 += KC) {
            int kc = Math.min(KC, k - k0);
            for (int t = t0; t < t1; t++) {
                int base = k0 * tiles * MR + t * MR * kc;
                for (int r = 0; r < MR; r++) {
                    int i = t * MR + r;
                    if (i < m) {
                        int src = aOff + i * k + k0;
                        for (int p = 0; p < kc; p++) ap[base + p * MR + r] = a[src + p];
                    } else {
                        for (int p = 0; p < kc; p++) ap[base + p * MR + r] = 0f;
                    }
                }
            }
        }
    }

    /** B rows [j0, j0+nr), columns [k0, k0+kc) → panel [kc][NR] (a transposition), zero columns past nr. */
    private static Panel rowsPanel(BRows b) {
        return (j0, nr, k0, kc, bp) -> {
            float[] row = SCRATCH.get().row;
            for (int r = 0; r < NR; r++) {
                if (r < nr) {
                    b.row(j0 + r, k0, kc, row, 0);
                    for (int p = 0; p < kc; p++) bp[p * NR + r] = row[p];
                } else {
                    for (int p = 0; p < kc; p++) bp[p * NR + r] = 0f;
                }
            }
        };
    }

    /**
     * The MR×NR register tile: 10 accumulators, 2 B loads and 5 broadcasts per k step. Ten is
     * what AVX2's 16 registers hold without spilling (a 6-row tile measured at half the rate).
     * The tile is always whole; {@link #block} routes edge tiles through a scratch tile.
     */
    static void kernel(float[] ap, int ao, float[] bp, int kc, float[] c, int co, int ldc, boolean first) {
        // Checking every index the stores touch before the loop, with the stores' own constant
        // offsets, lets C2 drop their checks; left to C2 the loop ran at a third of the FMA rate
        // (31 vs 90 GFLOP/s on one Zen 3 core).
        if (ao < 0 || ao + kc * MR > ap.length || kc * NR > bp.length || co < 0 || co + (MR - 1) * ldc + NR > c.length) {
            throw new IndexOutOfBoundsException("GEMM tile out of range");
        }
        FloatVector z = FloatVector.zero(F);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z, c40 = z, c41 = z;
        for (int p = 0, bo = 0; p < kc; p++, bo += NR, ao += MR) {
            FloatVector b0 = FloatVector.fromArray(F, bp, bo);
            FloatVector b1 = FloatVector.fromArray(F, bp, bo + L);
            FloatVector x = FloatVector.broadcast(F, ap[ao]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(F, ap[ao + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(F, ap[ao + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(F, ap[ao + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(F, ap[ao + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
        }
        if (!first) {
            c00 = c00.add(FloatVector.fromArray(F, c, co));
            c01 = c01.add(FloatVector.fromArray(F, c, co + L));
            c10 = c10.add(FloatVector.fromArray(F, c, co + ldc));
            c11 = c11.add(FloatVector.fromArray(F, c, co + ldc + L));
            c20 = c20.add(FloatVector.fromArray(F, c, co + 2 * ldc));
            c21 = c21.add(FloatVector.fromArray(F, c, co + 2 * ldc + L));
            c30 = c30.add(FloatVector.fromArray(F, c, co + 3 * ldc));
            c31 = c31.add(FloatVector.fromArray(F, c, co + 3 * ldc + L));
            c40 = c40.add(FloatVector.fromArray(F, c, co + 4 * ldc));
            c41 = c41.add(FloatVector.fromArray(F, c, co + 4 * ldc + L));
        }
        c00.intoArray(c, co);
        c01.intoArray(c, co + L);
        c10.intoArray(c, co + ldc);
        c11.intoArray(c, co + ldc + L);
        c20.intoArray(c, co + 2 * ldc);
        c21.intoArray(c, co + 2 * ldc + L);
        c30.intoArray(c, co + 3 * ldc);
        c31.intoArray(c, co + 3 * ldc + L);
        c40.intoArray(c, co + 4 * ldc);
        c41.intoArray(c, co + 4 * ldc + L);
    }

    /** c[co + r*ldc + j] (+)= tile[r*NR + j] for r < mr, j < nr. */
    private static void addTile(float[] tile, float[] c, int co, int ldc, int mr, int nr, boolean first) {
        for (int r = 0; r < mr; r++) {
            for (int j = 0; j < nr; j++) {
                float v = tile[r * NR + j];
                c[co + r * ldc + j] = first ? v : c[co + r * ldc + j] + v;
            }
        }
    }

    /** Scalar twin of {@link #kernel}. */
    static void kernelScalar(float[] ap, int ao, float[] bp, int kc, float[] c, int co, int ldc, int mr, int nr, boolean first) {
        for (int r = 0; r < mr; r++) {
            for (int j = 0; j < nr; j++) {
                float acc = 0f;
                for (int p = 0; p < kc; p++) acc += ap[ao + p * MR + r] * bp[p * NR + j];
                c[co + r * ldc + j] = first ? acc : c[co + r * ldc + j] + acc;
            }
        }
    }

    /** Plain reference: c = a · bᵀ with B rows from {@code b}, one dot product per element. */
    static void gemmScalar(float[] a, int aOff, int m, int k, BRows b, int n, float[] c, int cOff) {
        float[] row = new float[k];
        for (int j = 0; j < n; j++) {
            b.row(j, 0, k, row, 0);
            for (int i = 0; i < m; i++) {
                float acc = 0f;
                for (int p = 0; p < k; p++) acc += a[aOff + i * k + p] * row[p];
                c[cOff + i * n + j] = acc;
            }
        }
    }
}
