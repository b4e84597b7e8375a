package io.ibllm.llama;

/**
 * Keys (after RoPE) and values of every layer for positions [0, contextLength), fp32, stored
 * head-major [heads, contextLength, headDim] so one head's keys are one contiguous matrix for
 * the score GEMM. One per request: the model's weights are shared, the cache is not.
 */
public final class KVCache {
    private final float[][] keys;
    private final float[][] values;
    private final int contextLength;
    private final int dim;
    private final int heads;
    private final int headDim;

    public KVCache(LlamaConfig c) {
        this.contextLength = c.contextLength();
        this.dim = c.dim();
        this.heads = c.nHeads();
        this.headDim = c.headDim();
        long perLayer = (long) contextLength * dim;
        if (perLayer > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("KV cache too large: " + perLayer);
        this.keys = new float[c.nLayers()][(int) perLayer];
        this.values = new float[c.nLayers()][(int) perLayer];
    }

    public int contextLength() { return contextLength; }

    /** Layer l's keys as [heads, contextLength, headDim]. */
    float[] keys(int layer) { return keys[layer]; }

    float[] values(int layer) { return values[layer]; }

    /** Offset of (head h, position 0) in a layer's arrays. */
    int headOffset(int h) { return h * contextLength * headDim; }

    /** Stores rows [rows, dim] of k and v at positions start .. start+rows-1. */
    void store(int layer, int start, int rows, float[] k, float[] v) {
        for (int r = 0; r < rows; r++) {
            for (int h = 0; h < heads; h++) {
                int to = headOffset(h) + (start + r) * headDim;
                System.arraycopy(k, r * dim + h * headDim, keys[layer], to, headDim);
                System.arraycopy(v, r * dim + h * headDim, values[layer], to, headDim);
            }
        }
    }
}
