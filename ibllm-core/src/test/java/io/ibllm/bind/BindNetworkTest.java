package io.ibllm.bind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.Golden;
import io.ibllm.io.Npy;
import io.ibllm.llama.LlamaAdapter;
import io.ibllm.llama.LlamaConfig;
import io.ibllm.llama.ModelLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stable bind network, block by block, against the reference (1e-4 absolute). */
class BindNetworkTest {
    static LlamaAdapter model;

    @BeforeAll
    static void load() {
        model = ModelLoader.load(Golden.file("checkpoints/llama/tiny"), Golden.file("checkpoints/imagebind_llm_adapter.pth"),
                LlamaConfig.DEFAULT_CONTEXT);
    }

    @AfterAll
    static void close() { model.close(); }

    static float[] npy(String name) { return Npy.read(Golden.file("outputs/llm/" + name)).toFloatArray(); }

    static void assertClose(float[] expected, float[] actual, float tol, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        float worst = 0;
        for (int i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(expected[i] - actual[i]));
        assertTrue(worst <= tol, what + " off by " + worst);
    }

    @Test
    void stableVariantDetected() {
        assertEquals(BindNetwork.Variant.STABLE, model.bindNetwork().variant());
        assertEquals(32, model.bindNetwork().inputDim());
        assertEquals(64, model.bindNetwork().outputDim());
    }

    @Test
    void blocksWithoutCache() { checkBlocks("noknn"); }

    @Test
    void blocksAfterCacheBlend() { checkBlocks("knn"); }

    private void checkBlocks(String tag) {
        BindNetwork b = model.bindNetwork();
        float[] in = npy("bind_given_" + tag + "_input.npy");
        int rows = 2;
        float[] x = b.project(in, rows);
        assertClose(npy("bind_given_" + tag + "_proj.npy"), x, 1e-4f, tag + " proj");
        b.block(0, x, rows);
        assertClose(npy("bind_given_" + tag + "_block1.npy"), x, 1e-4f, tag + " block 1");
        b.block(1, x, rows);
        assertClose(npy("bind_given_" + tag + "_block2.npy"), x, 1e-4f, tag + " block 2");
        b.block(2, x, rows);
        assertClose(npy("bind_given_" + tag + "_output.npy"), x, 1e-4f, tag + " output");
        assertClose(npy("bind_given_" + tag + "_output.npy"), b.forward(in, rows), 1e-4f, tag + " forward");
    }

    @Test
    void mixedInputsThroughTheNetwork() {
        assertClose(npy("mixed_noknn_output.npy"), model.bindNetwork().forward(npy("mixed_noknn_bind_input.npy"), 1),
                1e-4f, "mixed no-cache visual query");
        assertClose(npy("mixed_knn_output.npy"), model.bindNetwork().forward(npy("mixed_knn_bind_input.npy"), 1),
                1e-4f, "mixed cached visual query");
    }
}
