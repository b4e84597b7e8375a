package io.ibllm.llama;

/**
 * The visual injection of one request: for each layer that receives the adapter, the gated
 * value tanh(gate[h])·(Wv·(F + prefix[l]))_h, computed once from the bind-network output F and
 * reused at every decoding step. Layers without an adapter hold null.
 */
public final class AdapterPrompt {
    private final float[][] perLayer;

    AdapterPrompt(float[][] perLayer) {
        this.perLayer = perLayer;
    }

    /** Gated value for {@code layer} [dim], or null when that layer gets no injection. */
    float[] layer(int layer) { return perLayer[layer]; }
}
