package io.ibllm.train;

import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * A fresh stage-1 adapter as the reference initialises it: bind network with PyTorch's Linear
 * defaults (U(±1/√fan_in) for weights and biases), RMSNorm weights 1, prefix_query ~ N(0, 1)
 * (nn.Embedding), gates 0 (so the injection starts at zero), LLaMA norms copied from the base.
 */
public final class AdapterInit {
    private AdapterInit() {}

    public static MemoryTensorFile stage1(io.ibllm.io.TensorFile base, int bindIn, int heads, long seed) {
        Random rnd = new Random(seed);
        Tensor emb = base.get("tok_embeddings.weight");
        int dim = (int) emb.dim(1), hidden = 4 * dim;
        int layers = 0;
        while (base.contains("layers." + layers + ".attention.wq.weight")) layers++;
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("image_bind_proj.weight", uniform(rnd, dim * bindIn, bindIn, dim, bindIn));
        t.put("image_bind_proj.bias", uniform(rnd, dim, bindIn, dim));
        for (int k = 1; k <= 3; k++) {
            t.put("image_bind_norm_" + k + ".weight", Tensor.f32(ones(dim), dim));
            t.put("image_bind_f1_" + k + ".weight", uniform(rnd, hidden * dim, dim, hidden, dim));
            t.put("image_bind_f2_" + k + ".weight", uniform(rnd, dim * hidden, hidden, dim, hidden));
            t.put("image_bind_f3_" + k + ".weight", uniform(rnd, hidden * dim, dim, hidden, dim));
        }
        float[] prefix = new float[layers * dim];
        for (int i = 0; i < prefix.length; i++) prefix[i] = (float) rnd.nextGaussian();
        t.put("prefix_query.weight", Tensor.f32(prefix, layers, dim));
        for (int l = 0; l < layers; l++) {
            t.put("llama.layers." + l + ".attention_norm.weight", base.get("layers." + l + ".attention_norm.weight").toF32());
            t.put("llama.layers." + l + ".ffn_norm.weight", base.get("layers." + l + ".ffn_norm.weight").toF32());
            t.put("llama.layers." + l + ".attention.gate", Tensor.f32(new float[heads], 1, heads, 1, 1));
        }
        t.put("llama.norm.weight", base.get("norm.weight").toF32());
        return new MemoryTensorFile(Path.of("(fresh stage-1 adapter)"), t);
    }

    private static Tensor uniform(Random rnd, int n, int fanIn, long... shape) {
        float bound = (float) (1.0 / Math.sqrt(fanIn));
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        return Tensor.f32(v, shape);
    }

    private static float[] ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return v;
    }
}
