package io.ibllm.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

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

    /** Best GB/s (10^9 bytes per second) over {@code repeats} full passes. */
    public double measureGBs(int repeats) {
        int chunks = (int) (buffer.byteSize() / (64L * Simd.F.vectorByteSize()));
        double best = 0;
        // Three untimed passes first: until C2 has compiled read(), a pass reads at a fifth of the
        // speed (a probe called once, as in bench llm, reported 5 GB/s on a 25 GB/s machine).
        for (int r = -3; r < repeats; r++) {
            long t0 = System.nanoTime();
            Parallel.forRange(chunks, (s, e) -> {
                float sum = read(s, e);
                if (sum == 1.2345f) sink = sum; // keeps the reads live
            });
            long t1 = System.nanoTime();
            if (r >= 0) best = Math.max(best, buffer.byteSize() / (double) (t1 - t0));
        }
        return best;
    }

    /**
     * Sums chunks [s, e) of 64 vectors as four streams read in lockstep (quarters of the range),
     * two accumulators each: one sequential stream per core under-reads DRAM on some CPUs (its
     * prefetcher runs out of requests in flight), and kernels that stream several weight rows at
     * once exceed it, so the limit is taken over several streams.
     */
    private float read(int s, int e) {
        var f = Simd.F;
        long vb = f.vectorByteSize();
        long begin = s * 64L * vb, quarter = (e - s) / 4 * 64L * vb;
        FloatVector a0 = FloatVector.zero(f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (long off = begin, end = begin + quarter; off < end; off += 2 * vb) {
            a0 = a0.add(FloatVector.fromMemorySegment(f, buffer, off, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(FloatVector.fromMemorySegment(f, buffer, off + vb, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(FloatVector.fromMemorySegment(f, buffer, off + quarter, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(FloatVector.fromMemorySegment(f, buffer, off + quarter + vb, ByteOrder.LITTLE_ENDIAN));
            a4 = a4.add(FloatVector.fromMemorySegment(f, buffer, off + 2 * quarter, ByteOrder.LITTLE_ENDIAN));
            a5 = a5.add(FloatVector.fromMemorySegment(f, buffer, off + 2 * quarter + vb, ByteOrder.LITTLE_ENDIAN));
            a6 = a6.add(FloatVector.fromMemorySegment(f, buffer, off + 3 * quarter, ByteOrder.LITTLE_ENDIAN));
            a7 = a7.add(FloatVector.fromMemorySegment(f, buffer, off + 3 * quarter + vb, ByteOrder.LITTLE_ENDIAN));
        }
        for (long off = begin + 4 * quarter, end = e * 64L * vb; off < end; off += vb) {
            a0 = a0.add(FloatVector.fromMemorySegment(f, buffer, off, ByteOrder.LITTLE_ENDIAN));
        }
        return a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))).reduceLanes(VectorOperators.ADD);
    }

    @Override
    public void close() { arena.close(); }
}
