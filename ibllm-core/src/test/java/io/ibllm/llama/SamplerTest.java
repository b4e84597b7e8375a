package io.ibllm.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SamplerTest {
    /** logits whose softmax at T = 1 is (0.2, 0.5, 0.3) for ids 0, 1, 2. */
    static final float[] LOGITS = {(float) Math.log(0.2), (float) Math.log(0.5), (float) Math.log(0.3)};

    @Test
    void greedyTakesTheFirstMaximum() {
        assertEquals(1, Sampler.greedy().next(new float[] {0f, 3f, 3f, -1f}));
        assertEquals(1, Sampler.of(0f, 0.75f, 7).next(LOGITS));
    }

    @Test
    void topPDropsTokensWhoseMassBeforeThemExceedsP() {
        // sorted: id1 0.5 (before 0), id2 0.3 (before 0.5 ≤ 0.75), id0 0.2 (before 0.8 > 0.75): id0 never drawn
        Sampler s = Sampler.of(1f, 0.75f, 42);
        int[] counts = new int[3];
        for (int i = 0; i < 4000; i++) counts[s.next(LOGITS)]++;
        assertEquals(0, counts[0]);
        // kept mass renormalised: id1 0.625, id2 0.375
        assertTrue(Math.abs(counts[1] / 4000.0 - 0.625) < 0.04, "id1 frequency " + counts[1]);
    }

    @Test
    void tinyTopPKeepsOnlyTheBest() {
        Sampler s = Sampler.of(1f, 0.01f, 1);
        for (int i = 0; i < 100; i++) assertEquals(1, s.next(LOGITS));
    }

    @Test
    void sameSeedSameTokens() {
        Sampler a = Sampler.of(0.8f, 0.95f, 123), b = Sampler.of(0.8f, 0.95f, 123);
        boolean varied = false;
        int first = -1;
        for (int i = 0; i < 200; i++) {
            int x = a.next(LOGITS);
            assertEquals(x, b.next(LOGITS));
            if (first < 0) first = x;
            varied |= x != first;
        }
        assertTrue(varied, "sampling should not be constant");
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Sampler.of(-1f, 0.5f, 0));
        assertThrows(IllegalArgumentException.class, () -> Sampler.of(1f, 0f, 0));
    }
}
