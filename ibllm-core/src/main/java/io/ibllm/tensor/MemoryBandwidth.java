package io.ibllm.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;

/**
 * The machine's memory-read bandwidth as the kernels see it: a streaming vector read over an
 * aligned off-heap buffer far larger than the caches, split over the pool's active threads
 * exactly like a matvec. Benchmarks divide kernel GB/s by this, measured in the same run.
 */
public final class MemoryBandwidth implements AutoCloseable {
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer;
    private volatile float sink;

    /** Allocates and touches a buffer of {@code bytes} (use ≥ 8× the last-level cache). */
    public MemoryBandwidth(long bytes) {
        long chunk = 64L * Simd.F.vectorByteSize();
        long size = Math.max(chunk, bytes / chunk * chunk);
        MemorySegment huge = HugePages.allocate(size);   // on the same pages as the weights it is compared with
        buffer = huge != null ? huge : arena.allocate(size, 64);
        buffer.fill((byte) 1);
    }

    public long bytes() { return buffer.byteSize(); }

    /**
     * Best GB/s (10^9 bytes per second) over {@code repeats} full passes of each access pattern:
     * one sequential stream per thread, and four streams per thread (quarters of its range read
     * in lockstep). Which reads faster depends on the CPU (one stream under-reads DRAM where the
     * prefetcher runs out of requests in flight; four streams lose DRAM page locality on others),
     * and a kernel may stream either way, so the limit is the faster of the two.
     */
    public double measureGBs(int repeats) {
        int chunks = (int) (buffer.byteSize() / (64L * Simd.F.vectorByteSize()));
        double best = 0;
        // Three untimed passes first: until C2 has compiled the read loops, a pass reads at a fifth
        // of the speed (a probe called once, as in bench llm, reported 5 GB/s on a 25 GB/s machine).
        for (int r = -3; r < repeats; r++) {
            for (int streams : new int[] {1, 4}) {
                long t0 = System.nanoTime();
                Parallel.forRange(chunks, (s, e) -> {
                    float sum = read(s, e, streams);
                    if (sum == 1.2345f) sink = sum; // keeps the reads live
                });
                long t1 = System.nanoTime();
                if (r >= 0) best = Math.max(best, buffer.byteSize() / (double) (t1 - t0));
            }
        }
        return best;
    }

    /**
     * Sums chunks [s, e) of 64 vectors as {@code streams} (1 or 4) streams read in lockstep, each
     * its own part of the range: eight vector loads per step, 8/streams consecutive ones per stream.
     */
    private float read(int s, int e, int streams) {
        var f = Simd.F;
        long vb = f.vectorByteSize(), begin = s * 64L * vb, end = e * 64L * vb;
        long part = (e - s) / streams * 64L * vb, per = 8 / streams;
        long[] d = new long[8];
        for (int j = 0; j < 8; j++) d[j] = j / per * part + j % per * vb;
        long d0 = d[0], d1 = d[1], d2 = d[2], d3 = d[3], d4 = d[4], d5 = d[5], d6 = d[6], d7 = d[7];
        FloatVector a0 = FloatVector.zero(f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        long off = begin;
        for (long stop = begin + part; off < stop; off += per * vb) {
            a0 = a0.add(FloatVector.fromMemorySegment(f, buffer, off + d0, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(FloatVector.fromMemorySegment(f, buffer, off + d1, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(FloatVector.fromMemorySegment(f, buffer, off + d2, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(FloatVector.fromMemorySegment(f, buffer, off + d3, ByteOrder.LITTLE_ENDIAN));
            a4 = a4.add(FloatVector.fromMemorySegment(f, buffer, off + d4, ByteOrder.LITTLE_ENDIAN));
            a5 = a5.add(FloatVector.fromMemorySegment(f, buffer, off + d5, ByteOrder.LITTLE_ENDIAN));
            a6 = a6.add(FloatVector.fromMemorySegment(f, buffer, off + d6, ByteOrder.LITTLE_ENDIAN));
            a7 = a7.add(FloatVector.fromMemorySegment(f, buffer, off + d7, ByteOrder.LITTLE_ENDIAN));
        }
        for (off = begin + streams * part; off < end; off += vb) {   // what the parts left over
            a0 = a0.add(FloatVector.fromMemorySegment(f, buffer, off, ByteOrder.LITTLE_ENDIAN));
        }
        return Simd.sum(a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))));
    }

    @Override
    public void close() { arena.close(); }
}
