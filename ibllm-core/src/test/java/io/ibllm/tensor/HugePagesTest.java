package io.ibllm.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class HugePagesTest {
    @Test
    void largeBuffersAreZeroedWritableAndAlignedToTheHugePage() {
        long bytes = 3 * HugePages.HUGE + 12345;
        MemorySegment m = HugePages.allocate(bytes);
        if (m == null) return;   // not Linux or no native access: callers fall back (checked below)
        assertEquals(bytes, m.byteSize());
        assertEquals(0, m.address() % HugePages.HUGE);
        for (long at : new long[] {0, HugePages.HUGE - 1, bytes - 1}) {
            assertEquals(0, m.get(ValueLayout.JAVA_BYTE, at));
            m.set(ValueLayout.JAVA_BYTE, at, (byte) 7);
            assertEquals(7, m.get(ValueLayout.JAVA_BYTE, at));
        }
    }

    @Test
    void smallBuffersTakeTheOrdinaryAllocation() {
        assertNull(HugePages.allocate(HugePages.HUGE - 1));
        MemorySegment m = PackedWeight.allocate(100);
        assertEquals(100, m.byteSize());
        assertEquals(0, m.address() % PackedWeight.ALIGN);
    }
}
