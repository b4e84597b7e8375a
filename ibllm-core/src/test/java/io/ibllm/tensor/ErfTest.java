package io.ibllm.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** erf against published values (Abramowitz & Stegun table 7.1 / any math library), all three ranges. */
class ErfTest {
    @Test
    void matchesTableValues() {
        double[][] table = {
            {0.1, 0.1124629160182849}, {0.3, 0.3286267594591274}, {0.5, 0.5204998778130465},
            {1.0, 0.8427007929497149}, {2.0, 0.9953222650189527}, {3.0, 0.9999779095030014},
            {4.0, 0.9999999845827421}, {5.0, 0.9999999999984626},
        };
        for (double[] row : table) {
            assertEquals(row[1], Erf.erf(row[0]), 1e-15, "erf(" + row[0] + ")");
            assertEquals(-row[1], Erf.erf(-row[0]), 1e-15, "erf(-" + row[0] + ")");
        }
    }
}
