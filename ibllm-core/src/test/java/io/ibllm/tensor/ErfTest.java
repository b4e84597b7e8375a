package io.ibllm.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** erf against reference values (CPython math.erf, correctly rounded to ~1 ulp) in all three ranges. */
class ErfTest {
    @Test
    void matchesReferenceValues() {
        double[][] cases = {
            {0.1, 0.1124629160182849}, {0.4, 0.42839235504666845}, {0.5, 0.5204998778130465},
            {1.0, 0.8427007929497149}, {1.5, 0.9661051464753108}, {2.0, 0.9953222650189527},
            {3.0, 0.9999779095030014}, {3.9, 0.9999999652077514}, {4.5, 0.9999999998033839},
        };
        for (double[] c : cases) {
            assertEquals(c[1], Erf.erf(c[0]), 1e-15, "erf(" + c[0] + ")");
            assertEquals(-c[1], Erf.erf(-c[0]), 1e-15, "erf(-" + c[0] + ")");
        }
    }
}
