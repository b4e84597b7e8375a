package io.ibllm.llama;

import io.ibllm.tensor.Ops;
import io.ibllm.tensor.Tensor;
import java.util.List;

/**
 * LLaMA with the ImageBind-LLM adapter (spec §2). Immutable and shareable between threads;
 * each request runs in its own {@link Session} (its own KV cache and visual injection).
 */
public final class LlamaModel {
    static final float ROPE_THETA = 10000f;
    private final LlamaConfig config;
    private final Tensor tokEmbeddings;
    private final List<TransformerBlock> layers;
    private final float[] norm;
    private final Tensor output;
    private final float[][] prefixQuery;
    private final float[] freqsCis;

    /**
     * @param prefixQuery one row per adapted layer; row i belongs to layer nLayers - rows + i
     *                    (the reference injects into the last query_layer layers, all of them in the release)
     */
    public LlamaModel(LlamaConfig config, Tensor tokEmbeddings, List<TransformerBlock> layers, float[] norm,
                      Tensor output, float[][] prefixQuery) {
        if (prefixQuery.length > layers.size()) {
            throw new IllegalArgumentException("prefix_query has " + prefixQuery.length + " rows for "
                    + layers.size() + " layers");
        }
        this.config = config;
        this.tokEmbeddings = tokEmbeddings;
        this.layers = List.copyOf(layers);
        this.norm = norm;
        this.output = output;
        this.prefixQuery = prefixQuery;
        // The reference tabulates 2·max_seq_len positions; positions past the context never occur.
        this.freqsCis = Ops.freqsCis(config.headDim(), config.contextLength(), ROPE_THETA);
    }

    public LlamaConfig config() { return config; }

    /** The rotary table [contextLength, headDim/2, 2] = (cos, sin), as the reference's freqs_cis. */
    public float[] freqsCis() { return freqsCis; }

    /** A fresh request: empty KV cache; {@code prompt} null for text-only (no injection). */
    public Session newSession(AdapterPrompt prompt) {
        return new Session(this, new KVCache(config), prompt);
    }

    /** Builds the per-layer injection from the bind-network output {@code visualQuery} [dim]. */
    public AdapterPrompt adapterPrompt(float[] visualQuery) {
        if (visualQuery.length != config.dim()) {
            throw new IllegalArgumentException("visual query has " + visualQuery.length + " values, LLaMA dim is " + config.dim());
        }
        float[][] perLayer = new float[layers.size()][];
        int first = layers.size() - prefixQuery.length;
        for (int l = first; l < layers.size(); l++) {
            float[] a = visualQuery.clone();
            float[] prefix = prefixQuery[l - first];
            for (int i = 0; i < a.length; i++) a[i] += prefix[i];
            perLayer[l] = layers.get(l).attention().visualValue(a);
        }
        return new AdapterPrompt(perLayer);
    }

    /** Runs tokens at positions start.. through all layers; returns the last hidden state [rows, dim] before the final norm. */
    float[] hidden(int[] tokens, int start, KVCache cache, AdapterPrompt prompt, LayerObserver observer) {
        int rows = tokens.length, dim = config.dim();
        float[] x = embed(tokens);
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).forward(x, rows, start, cache, freqsCis, prompt == null ? null : prompt.layer(l));
            if (observer != null) observer.afterLayer(l, x, rows);
        }
        return x;
    }

    float[] embed(int[] tokens) {
        int dim = config.dim();
        float[] x = new float[tokens.length * dim];
        for (int r = 0; r < tokens.length; r++) {
            int id = tokens[r];
            if (id < 0 || id >= config.vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " outside the vocabulary of " + config.vocabSize());
            }
            long base = (long) id * dim;
            for (int i = 0; i < dim; i++) x[r * dim + i] = tokEmbeddings.getFloat(base + i);
        }
        return x;
    }

    /** Logits [rows, vocab] of hidden rows [rows, dim]: output(RMSNorm(h)). */
    public float[] logits(float[] hidden, int fromRow, int rows) {
        int dim = config.dim();
        float[] normed = new float[rows * dim];
        for (int r = 0; r < rows; r++) {
            Ops.rmsnorm(normed, r * dim, hidden, (fromRow + r) * dim, norm, dim, config.normEps());
        }
        float[] out = new float[rows * config.vocabSize()];
        Ops.matmul(output, normed, rows, out);
        return out;
    }
}
