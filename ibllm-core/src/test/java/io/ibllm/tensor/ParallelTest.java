package io.ibllm.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {
    @Test
    void coversEveryIndexOnceWithGrainAlignedChunks() {
        for (int n : new int[] {1, 2, 3, 17, 1000}) {
            for (int grain : new int[] {1, 4, 16}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                Parallel.forRange(n, grain, (s, e) -> {
                    if (s % grain != 0) throw new AssertionError("chunk start " + s + " not a multiple of " + grain);
                    for (int i = s; i < e; i++) hits.incrementAndGet(i);
                });
                for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "n=" + n + " grain=" + grain + " i=" + i);
            }
        }
    }

    @Test
    void forChunksCoversEveryIndexOnceInGrainAlignedChunks() {
        for (int n : new int[] {1, 3, 17, 1000}) {
            for (int grain : new int[] {1, 4}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
                Parallel.forChunks(n, grain, 8, (s, e) -> {
                    if (s % grain != 0) throw new AssertionError("chunk start " + s + " not a multiple of " + grain);
                    calls.incrementAndGet();
                    for (int i = s; i < e; i++) hits.incrementAndGet(i);
                });
                for (int i = 0; i < n; i++) assertEquals(1, hits.get(i), "n=" + n + " grain=" + grain + " i=" + i);
                int units = (n + grain - 1) / grain;
                int expected = Parallel.activeThreads() == 1 || units == 1 ? 1 : Math.min(units, 8 * Parallel.activeThreads());
                assertEquals(expected, calls.get(), "chunks for n=" + n + " grain=" + grain);
            }
        }
    }

    @Test
    void forChunksLetsAFreeThreadTakeTheChunksOfABusyOne() {
        java.util.Map<Thread, Integer> taken = new java.util.concurrent.ConcurrentHashMap<>();
        Parallel.forChunks(64, 1, 16, (s, e) -> {
            taken.merge(Thread.currentThread(), e - s, Integer::sum);
            if (s == 0) sleep(200);   // the thread holding chunk 0 is "descheduled"
        });
        assertEquals(64, taken.values().stream().mapToInt(Integer::intValue).sum());
        if (Parallel.activeThreads() > 1) {
            int most = taken.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
            assertTrue(most >= 60, "one thread should have taken nearly all chunks while the other slept: " + taken.values());
        } else {
            assertEquals(java.util.Set.of(Thread.currentThread()), taken.keySet());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void manyConsecutiveCallsAndNestedCalls() {
        int[] total = new int[1];
        for (int rep = 0; rep < 2000; rep++) {
            AtomicIntegerArray hits = new AtomicIntegerArray(64);
            Parallel.forRange(8, (s, e) -> {
                for (int i = s; i < e; i++) {
                    int row = i;
                    Parallel.forRange(8, (s2, e2) -> {
                        for (int j = s2; j < e2; j++) hits.incrementAndGet(row * 8 + j);
                    });
                }
            });
            for (int i = 0; i < 64; i++) total[0] += hits.get(i);
        }
        assertEquals(2000 * 64, total[0]);
    }

    @Test
    void workerExceptionsReachTheCaller() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallel.forRange(100, (s, en) -> {
            if (en == 100) throw new IllegalStateException("boom");
        }));
        assertEquals("boom", e.getMessage());
        int[] count = new int[1];
        Parallel.forRange(1, (s, en) -> count[0]++);   // the pool still works
        assertEquals(1, count[0]);
    }

    @Test
    void activeThreadsIsBoundedByThePool() {
        assertThrows(IllegalArgumentException.class, () -> Parallel.setActiveThreads(Parallel.threads() + 1));
        Parallel.setActiveThreads(1);
        try {
            Thread[] seen = new Thread[1];
            Parallel.forRange(100, (s, e) -> seen[0] = Thread.currentThread());
            assertEquals(Thread.currentThread(), seen[0]);
        } finally {
            Parallel.setActiveThreads(Parallel.threads());
        }
    }
}
