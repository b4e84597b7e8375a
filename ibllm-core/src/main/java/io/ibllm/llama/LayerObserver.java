package io.ibllm.llama;

/** Sees each layer's output during a forward pass (for inspection and tests). */
@FunctionalInterface
public interface LayerObserver {
    /** {@code hidden} is [rows, dim] after block {@code layer}; it must not be modified. */
    void afterLayer(int layer, float[] hidden, int rows);
}
