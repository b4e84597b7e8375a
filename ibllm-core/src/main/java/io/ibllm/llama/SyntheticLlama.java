package io.ibllm.llama;

import io.ibllm.tensor.DType;
import io.ibllm.tensor.PackedWeight;
import io.ibllm.tensor.SyntheticWeights;
import io.ibllm.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A random-weight ImageBind-LLM LLaMA of any geometry, built in memory (nothing downloaded), for
 * benchmarks: base matrices in the chosen dtype (packed for the kernels), fp32 biases, LoRA
 * (rank 16 as released), norms, gates and prefix like the real adapter, so a step costs what a
 * real one does.
 */
public final class SyntheticLlama {
    static final int LORA_RANK = 16;

    private SyntheticLlama() {}

    /** LLaMA-7B: Meta's params.json (dim 4096, 32 layers, 32 heads, multiple_of 256, eps 1e-6), 32000 pieces. */
    public static LlamaConfig llama7b(int context) {
        return new LlamaConfig(4096, 32, 32, LlamaConfig.ffnHidden(4096, 256), 1e-6f, 32000, context);
    }

    /** Bytes of the base matrices in {@code dtype} (what a decode step streams). */
    public static long baseBytes(LlamaConfig c, DType dtype) {
        return decodeBytesPerToken(c, dtype) + dtype.byteSize((long) c.vocabSize() * c.dim());
    }

    /**
     * Weight bytes one decode step reads: every layer and the output projection (the token
     * embedding contributes one row; the KV cache is not counted), as llama.cpp's figure.
     */
    public static long decodeBytesPerToken(LlamaConfig c, DType dtype) {
        long perLayer = 4L * c.dim() * c.dim() + 3L * c.dim() * c.ffnHidden();
        return dtype.byteSize(perLayer * c.nLayers() + (long) c.vocabSize() * c.dim());
    }

    public static LlamaModel build(LlamaConfig c, DType dtype, long seed) {
        long[] s = {seed};
        List<TransformerBlock> layers = new ArrayList<>();
        for (int l = 0; l < c.nLayers(); l++) {
            int d = c.dim(), h = c.ffnHidden();
            Attention att = new Attention(linear(dtype, d, d, true, s), linear(dtype, d, d, false, s),
                    linear(dtype, d, d, false, s), linear(dtype, d, d, true, s), vector(c.nHeads(), 0.5f, 0f, s));
            FeedForward ffn = new FeedForward(linear(dtype, h, d, true, s), linear(dtype, d, h, true, s), linear(dtype, h, d, true, s));
            layers.add(new TransformerBlock(l, vector(d, 0.1f, 1f, s), att, vector(d, 0.1f, 1f, s), ffn, c.normEps()));
        }
        Tensor tok = SyntheticWeights.tensor(dtype, c.vocabSize(), c.dim(), 1f, s[0]++);
        Tensor output = SyntheticWeights.tensor(dtype, c.vocabSize(), c.dim(), (float) (1 / Math.sqrt(c.dim())), s[0]++);
        float[][] prefix = new float[c.nLayers()][];
        for (int l = 0; l < prefix.length; l++) prefix[l] = vector(c.dim(), 1f, 0f, s);
        return new LlamaModel(c, tok, layers, vector(c.dim(), 0.1f, 1f, s), output, prefix);
    }

    private static AdaptedLinear linear(DType dtype, int out, int in, boolean bias, long[] seed) {
        float scale = (float) (1 / Math.sqrt(in));
        PackedWeight w = SyntheticWeights.packed(dtype, out, in, scale, seed[0]++);
        Tensor a = Tensor.f32(SyntheticWeights.vector(LORA_RANK * in, scale, seed[0]++), LORA_RANK, in);
        Tensor b = Tensor.f32(SyntheticWeights.vector(out * LORA_RANK, 0.01f, seed[0]++), out, LORA_RANK);
        return new AdaptedLinear(w, bias ? vector(out, 0.02f, 0f, seed) : null, a, b);
    }

    /** offset + uniform(−scale, scale). */
    private static float[] vector(int n, float scale, float offset, long[] seed) {
        float[] v = SyntheticWeights.vector(n, scale, seed[0]++);
        for (int i = 0; i < n; i++) v[i] += offset;
        return v;
    }
}
