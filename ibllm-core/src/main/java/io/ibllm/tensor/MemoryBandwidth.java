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
                    float sum = streams == 1 ? readSequential(s, e) : readFourStreams(s, e);
                    if (sum == 1.2345f) sink = sum; // keeps the reads live
                });
                long t1 = System.nanoTime();
                if (r >= 0) best = Math.max(best, buffer.byteSize() / (double) (t1 - t0));
            }
        }
        return best;
    }

    /** Sums chunks [s, e) of 64 vectors front to back, eight accumulators. */
    private float readSequential(int s, int e) {
        var f = Simd.F;
        long vb = f.vectorByteSize();
        FloatVector a0 = FloatVector.zero(f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (long off = s * 64L * vb, end = e * 64L * vb; off < end; off += 8 * vb) {
            a0 = a0.add(FloatVector.fromMemorySegment(f, buffer, off, ByteOrder.LITTLE_ENDIAN));
            a1 = a1.add(FloatVector.fromMemorySegment(f, buffer, off + vb, ByteOrder.LITTLE_ENDIAN));
            a2 = a2.add(FloatVector.fromMemorySegment(f, buffer, off + 2 * vb, ByteOrder.LITTLE_ENDIAN));
            a3 = a3.add(FloatVector.fromMemorySegment(f, buffer, off + 3 * vb, ByteOrder.LITTLE_ENDIAN));
            a4 = a4.add(FloatVector.fromMemorySegment(f, buffer, off + 4 * vb, ByteOrder.LITTLE_ENDIAN));
            a5 = a5.add(FloatVector.fromMemorySegment(f, buffer, off + 5 * vb, ByteOrder.LITTLE_ENDIAN));
            a6 = a6.add(FloatVector.fromMemorySegment(f, buffer, off + 6 * vb, ByteOrder.LITTLE_ENDIAN));
            a7 = a7.add(FloatVector.fromMemorySegment(f, buffer, off + 7 * vb, ByteOrder.LITTLE_ENDIAN));
        }
        return a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))).reduceLanes(VectorOperators.ADD);
    }

    /** Sums chunks [s, e) of 64 vectors as four streams read in lockstep (quarters of the range). */
    private float readFourStreams(int s, int e) {
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
