package io.ibllm.pointbind;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Farthest-point sampling and kNN grouping on clouds whose answers are known by construction. */
class PointGroupingTest {
    /** Ten points on the x axis at 0..9. */
    static float[] line() {
        float[] p = new float[30];
        for (int i = 0; i < 10; i++) p[3 * i] = i;
        return p;
    }

    @Test
    void fpsTakesFarthestAndFirstIndexOnTies() {
        // From 0: 9 is farthest; then 4 and 5 tie at 16 (first index wins); then 2, 6 and 7 tie at 4 → 2; then 6.
        assertArrayEquals(new int[] {0, 9, 4, 2, 6}, PointGrouping.farthestPointSample(line(), 0, 10, 5, 0));
        // Starting elsewhere (the reference draws the start at random).
        assertArrayEquals(new int[] {7, 0}, PointGrouping.farthestPointSample(line(), 0, 10, 2, 7));
    }

    @Test
    void fpsHonoursOffsetIntoABatch() {
        float[] two = new float[60];
        System.arraycopy(line(), 0, two, 30, 30);
        assertArrayEquals(new int[] {3, 9, 0}, PointGrouping.farthestPointSample(two, 30, 10, 3, 3));
    }

    @Test
    void knnFindsNearestSetsAgainstBruteForce() {
        Random r = new Random(7);
        int n = 300, g = 20, k = 9;
        float[] xyz = new float[3 * n];
        for (int i = 0; i < xyz.length; i++) xyz[i] = (float) r.nextGaussian();
        PointGrouping.Groups gr = PointGrouping.group(xyz, 0, n, g, k, 11);
        assertEquals(11, gr.centreIndex()[0]);
        for (int i = 0; i < g; i++) {
            int c = gr.centreIndex()[i];
            Integer[] order = new Integer[n];
            for (int j = 0; j < n; j++) order[j] = j;
            double[] d = new double[n];
            for (int j = 0; j < n; j++) {
                for (int a = 0; a < 3; a++) d[j] += Math.pow((double) xyz[3 * j + a] - xyz[3 * c + a], 2);
            }
            Arrays.sort(order, (a, b) -> Double.compare(d[a], d[b]));
            int[] want = new int[k];
            for (int j = 0; j < k; j++) want[j] = order[j];
            int[] got = Arrays.copyOfRange(gr.neighbourIndex(), i * k, (i + 1) * k);
            Arrays.sort(want);
            Arrays.sort(got);
            assertArrayEquals(want, got, "group " + i);
            // The centre is its own nearest point, so its offset is (0, 0, 0).
            for (int j = 0; j < k; j++) {
                for (int a = 0; a < 3; a++) {
                    int p = gr.neighbourIndex()[i * k + j];
                    assertEquals(xyz[3 * p + a] - xyz[3 * c + a], gr.neighbourhoods()[(i * k + j) * 3 + a]);
                }
            }
        }
    }

    @Test
    void cloudOfExactlyGroupSizePointsGroupsEverything() {
        PointGrouping.Groups gr = PointGrouping.group(line(), 0, 10, 3, 10, 0);
        int[] all = Arrays.copyOfRange(gr.neighbourIndex(), 0, 10);
        Arrays.sort(all);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, all);
    }

    @Test
    void tooFewPointsBadStartAndNonFiniteAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PointGrouping.group(line(), 0, 10, 16, 4, 0));
        assertTrue(e.getMessage().contains("10 points") && e.getMessage().contains("at least 16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PointGrouping.group(line(), 0, 10, 2, 12, 0));
        assertTrue(e.getMessage().contains("group_size 12"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PointGrouping.group(line(), 0, 10, 2, 2, 10));
        assertTrue(e.getMessage().contains("fps start index 10"), e.getMessage());
        float[] bad = line();
        bad[3 * 4 + 1] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> PointGrouping.group(bad, 0, 10, 2, 2, 0));
        assertTrue(e.getMessage().contains("point 4"), e.getMessage());
    }
}
