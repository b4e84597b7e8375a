package io.ibllm.tensor;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine's one worker pool: {@code threads() - 1} persistent daemon workers plus the calling
 * thread (override the size with -Dibllm.threads=N). A decode step issues hundreds of small
 * matvecs, so dispatch must cost microseconds, not the tens of µs of a ForkJoin submit: a call
 * publishes the job through a per-worker ticket counter, workers that ran recently are still spinning
 * and pick it up at once, idle ones park after {@code -Dibllm.spinMicros} (default 200).
 *
 * <p>{@link #forRange} splits work into contiguous chunks, one per thread, so results never
 * depend on scheduling (bodies may combine per-chunk partial results). {@link #forChunks} cuts
 * it finer and lets each thread take the next chunk when it is free, so a core the host slows
 * down (a VM's vCPU) does not hold the other one idle at the join; it is for bodies whose every
 * output element is computed by one chunk alone, in an order that does not depend on the chunk,
 * so results are still the same bits. Nested calls, or calls while another thread holds the
 * pool, run on the calling thread alone. No allocation per call.
 */
public final class Parallel {
    private static final int THREADS = Math.max(1, Integer.getInteger("ibllm.threads",
            Runtime.getRuntime().availableProcessors()));
    private static final long SPIN_NANOS = Long.getLong("ibllm.spinMicros", 200) * 1000;

    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static final AtomicInteger PENDING = new AtomicInteger();
    /** forChunks: the next chunk to take. */
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static volatile int active = THREADS;
    private static volatile Throwable failure;
    // The current job; written before the volatile ticket bumps that publish it.
    private static RangeBody body;
    private static int jobN, jobGrain, jobChunks;
    private static boolean jobShared;
    private static final Worker[] WORKERS = new Worker[THREADS];

    static {
        for (int w = 1; w < THREADS; w++) {
            WORKERS[w] = new Worker(w);
            WORKERS[w].start();
        }
    }

    private Parallel() {}

    /** Size of the pool, including the calling thread. */
    public static int threads() { return THREADS; }

    /** Threads that forRange uses now (1..threads()). */
    public static int activeThreads() { return active; }

    /** Limits forRange to {@code n} threads (benchmarks compare 1 and 2 threads in one run). */
    public static void setActiveThreads(int n) {
        if (n < 1 || n > THREADS) {
            throw new IllegalArgumentException("threads must be 1.." + THREADS + " (the pool size; raise it with -Dibllm.threads=N), got " + n);
        }
        active = n;
    }

    /** Body over [start, end). */
    @FunctionalInterface
    public interface RangeBody { void run(int start, int end); }

    /** Runs {@code body} over [0, n) split into one contiguous chunk per thread. */
    public static void forRange(int n, RangeBody body) {
        forRange(n, 1, body);
    }

    /**
     * Runs {@code body} over [0, n) in one contiguous chunk per thread whose boundaries are
     * multiples of {@code grain} (so a kernel's row or column tiles are never split).
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int units = (n + grain - 1) / grain;
        run(n, grain, Math.min(active, units), Math.min(active, units), false, body);
    }

    /**
     * Runs {@code body} over [0, n) cut into about {@code perThread} chunks per thread (boundaries
     * multiples of {@code grain}), each taken by the next free thread. Only for bodies whose
     * output elements each depend on one chunk alone (see the class comment).
     */
    public static void forChunks(int n, int grain, int perThread, RangeBody body) {
        if (n <= 0) return;
        int units = (n + grain - 1) / grain;
        int threads = Math.min(active, units);
        run(n, grain, Math.min(units, threads * Math.max(1, perThread)), threads, true, body);
    }

    private static void run(int n, int grain, int chunks, int threads, boolean shared, RangeBody body) {
        if (threads == 1 || !BUSY.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        try {
            Parallel.body = body;
            jobN = n;
            jobGrain = grain;
            jobChunks = chunks;
            jobShared = shared;
            NEXT.set(0);
            failure = null;
            PENDING.set(threads - 1);
            for (int w = 1; w < threads; w++) WORKERS[w].post();
            runChunks(0);
            awaitWorkers();
            Parallel.body = null;
            Throwable t = failure;
            if (t != null) {
                failure = null;
                if (t instanceof RuntimeException re) throw re;
                if (t instanceof Error e) throw e;
                throw new RuntimeException(t);
            }
        } finally {
            BUSY.set(false);
        }
    }

    /** Thread t's share: chunk t (forRange), or whichever chunks are still untaken (forChunks). */
    private static void runChunks(int t) {
        if (!jobShared) {
            runChunk(t);
            return;
        }
        for (int c = NEXT.getAndIncrement(); c < jobChunks; c = NEXT.getAndIncrement()) runChunk(c);
    }

    private static void runChunk(int c) {
        int units = (jobN + jobGrain - 1) / jobGrain;
        int s = (int) ((long) units * c / jobChunks) * jobGrain;
        int e = Math.min(jobN, (int) ((long) units * (c + 1) / jobChunks) * jobGrain);
        if (s < e) body.run(s, e);
    }

    private static void awaitWorkers() {
        int spins = 0;
        while (PENDING.get() != 0) {
            if (++spins < 1 << 20) Thread.onSpinWait();
            else Thread.yield();   // a worker was descheduled: let it run
        }
    }

    private static final class Worker extends Thread {
        private final int index;
        private volatile boolean parked;
        /** Bumped by the caller for each job this worker takes part in. */
        private volatile long ticket;

        Worker(int index) {
            super("ibllm-worker-" + index);
            this.index = index;
            setDaemon(true);
        }

        void post() {
            ticket = ticket + 1;
            if (parked) LockSupport.unpark(this);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                seen = awaitJob(seen);
                try {
                    runChunks(index);
                } catch (Throwable t) {
                    failure = t;
                }
                PENDING.decrementAndGet();
            }
        }

        /** Spins a while after the last job (the next one usually follows within µs), then parks. */
        private long awaitJob(long seen) {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            int spins = 0;
            while (true) {
                long g = ticket;
                if (g != seen) return g;
                if ((++spins & 63) != 0 || System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                } else {
                    parked = true;
                    if (ticket == seen) LockSupport.park(this);
                    parked = false;
                    spinUntil = System.nanoTime() + SPIN_NANOS;
                }
            }
        }
    }
}
