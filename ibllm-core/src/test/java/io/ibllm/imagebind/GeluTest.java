package io.ibllm.imagebind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ibllm.tensor.Ops;
import org.junit.jupiter.api.Test;

/** The towers' exact GELU against values of 0.5·x·(1+erf(x/√2)) from Python's math.erf. */
class GeluTest {
    @Test
    void matchesErfGelu() {
        double[][] cases = {
            {-4.5, -1.5289529061324192e-05}, {-3, -0.00404969409489031}, {-1, -0.15865525393145707},
            {-0.4, -0.13783130335587032}, {0.2, 0.11585194188782061}, {0.7, 0.5306254434438489},
            {1, 0.8413447460685429}, {2.5, 2.4844758366855597}, {4.2, 4.199943947854133}, {6, 5.999999994080474},
        };
        for (double[] c : cases) assertEquals(c[1], Ops.gelu((float) c[0]), 2e-7 * Math.max(1, Math.abs(c[1])), "gelu(" + c[0] + ")");
    }
}
