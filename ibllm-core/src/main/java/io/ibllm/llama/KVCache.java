package io.ibllm.llama;

/**
 * Keys (after RoPE) and values of every layer for positions [0, contextLength), fp32.
 * One per request: the model's weights are shared, the cache is not.
 */
public final class KVCache {
    private final float[][] keys;
    private final float[][] values;
    private final int contextLength;
    private final int dim;

    public KVCache(LlamaConfig c) {
        this.contextLength = c.contextLength();
        this.dim = c.dim();
        long perLayer = (long) contextLength * dim;
        if (perLayer > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("KV cache too large: " + perLayer);
        this.keys = new float[c.nLayers()][(int) perLayer];
        this.values = new float[c.nLayers()][(int) perLayer];
    }

    public int contextLength() { return contextLength; }

    /** Layer l's keys as [contextLength, dim] row-major (row = position). */
    float[] keys(int layer) { return keys[layer]; }

    float[] values(int layer) { return values[layer]; }

    /** Stores rows [rows, dim] of k and v at positions start .. start+rows-1. */
    void store(int layer, int start, int rows, float[] k, float[] v) {
        System.arraycopy(k, 0, keys[layer], start * dim, rows * dim);
        System.arraycopy(v, 0, values[layer], start * dim, rows * dim);
    }
}
