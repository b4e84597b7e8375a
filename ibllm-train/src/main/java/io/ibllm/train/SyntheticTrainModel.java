package io.ibllm.train;

import io.ibllm.tensor.DType;
import io.ibllm.tensor.SyntheticWeights;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import io.ibllm.io.TensorFile;

/**
 * A random LLaMA + adapter of a given geometry, for training benchmarks with nothing on disk:
 * base weights in the chosen dtype, a fresh stage-1 adapter, plus random biases and LoRA pairs
 * for stage 2.
 */
public final class SyntheticTrainModel {
    /** The geometry: LLaMA-7B is (4096, 32, 32, 11008, 32000); ImageBind's output is 1024. */
    public record Geometry(int dim, int layers, int heads, int ffnHidden, int vocab, int bindIn) {
        public static Geometry llama7b() { return new Geometry(4096, 32, 32, 11008, 32000, 1024); }

        public static Geometry small() { return new Geometry(512, 8, 8, 1376, 32000, 1024); }
    }

    private SyntheticTrainModel() {}

    public static TrainModel build(Stage stage, Geometry g, DType baseType, int maxSeq) {
        TensorFile base = base(g, baseType);
        Map<String, Tensor> adapter = new LinkedHashMap<>(AdapterInit.stage1(base, g.bindIn(), g.heads(), 1).tensors());
        if (stage == Stage.FINETUNE) addLoraAndBiases(adapter, g);
        return new TrainModel(stage, base, new MemoryTensorFile(Path.of("(synthetic adapter)"), adapter), g.heads(), 1e-6f, maxSeq);
    }

    /**
     * The base weights are generated when the model asks for them and not kept: the model keeps
     * only their packed form, so a 7B model is never held twice.
     */
    private static TensorFile base(Geometry g, DType type) {
        Map<String, Supplier<Tensor>> t = new LinkedHashMap<>();
        long seed = 100;
        Tensor emb = SyntheticWeights.tensor(DType.F16, g.vocab(), g.dim(), 1f, seed++);
        t.put("tok_embeddings.weight", () -> emb);
        float s = (float) (1.0 / Math.sqrt(g.dim()));
        for (int l = 0; l < g.layers(); l++) {
            String p = "layers." + l + ".";
            for (String w : new String[] {"wq", "wk", "wv", "wo"}) {
                long sd = seed++;
                t.put(p + "attention." + w + ".weight", () -> SyntheticWeights.tensor(type, g.dim(), g.dim(), s, sd));
            }
            long s1 = seed++, s2 = seed++, s3 = seed++;
            t.put(p + "feed_forward.w1.weight", () -> SyntheticWeights.tensor(type, g.ffnHidden(), g.dim(), s, s1));
            t.put(p + "feed_forward.w2.weight", () -> SyntheticWeights.tensor(type, g.dim(), g.ffnHidden(), s, s2));
            t.put(p + "feed_forward.w3.weight", () -> SyntheticWeights.tensor(type, g.ffnHidden(), g.dim(), s, s3));
            t.put(p + "attention_norm.weight", () -> ones(g.dim()));
            t.put(p + "ffn_norm.weight", () -> ones(g.dim()));
        }
        t.put("norm.weight", () -> ones(g.dim()));
        long so = seed;
        t.put("output.weight", () -> SyntheticWeights.tensor(type, g.vocab(), g.dim(), s, so));
        return new Generated(t);
    }

    /** A TensorFile whose tensors are made on each request and not retained. */
    private record Generated(Map<String, Supplier<Tensor>> makers) implements TensorFile {
        @Override public Path path() { return Path.of("(synthetic LLaMA)"); }
        @Override public String format() { return "synthetic"; }
        @Override public Set<String> names() { return makers.keySet(); }

        @Override
        public Tensor get(String name) {
            Supplier<Tensor> m = makers.get(name);
            if (m == null) throw new io.ibllm.io.FormatException(path(), "no tensor named '" + name + "'");
            return m.get();
        }

        @Override
        public Map<String, Tensor> tensors() { throw new UnsupportedOperationException("generated on demand"); }

        @Override public void close() {}
    }

    private static void addLoraAndBiases(Map<String, Tensor> t, Geometry g) {
        int r = TrainModel.SAVED_LORA_RANK, d = g.dim(), h = g.ffnHidden();
        long seed = 7;
        for (int l = 0; l < g.layers(); l++) {
            String a = "llama.layers." + l + ".";
            t.put(a + "attention.wq.bias", vec(d, seed++));
            t.put(a + "attention.wo.bias", vec(d, seed++));
            for (String w : new String[] {"wq", "wk", "wv", "wo"}) {
                t.put(a + "attention.lora_" + w + "_l1.weight", mat(r, d, seed++));
                t.put(a + "attention.lora_" + w + "_l2.weight", mat(d, r, seed++));
            }
            t.put(a + "feed_forward.w1.bias", vec(h, seed++));
            t.put(a + "feed_forward.w2.bias", vec(d, seed++));
            t.put(a + "feed_forward.w3.bias", vec(h, seed++));
            t.put(a + "feed_forward.lora_w1_l1.weight", mat(r, d, seed++));
            t.put(a + "feed_forward.lora_w1_l2.weight", mat(h, r, seed++));
            t.put(a + "feed_forward.lora_w2_l1.weight", mat(r, h, seed++));
            t.put(a + "feed_forward.lora_w2_l2.weight", mat(d, r, seed++));
            t.put(a + "feed_forward.lora_w3_l1.weight", mat(r, d, seed++));
            t.put(a + "feed_forward.lora_w3_l2.weight", mat(h, r, seed++));
        }
    }

    private static Tensor ones(int n) {
        float[] v = new float[n];
        java.util.Arrays.fill(v, 1f);
        return Tensor.f32(v, n);
    }

    private static Tensor vec(int n, long seed) { return Tensor.f32(SyntheticWeights.vector(n, 0.05f, seed), n); }

    private static Tensor mat(int rows, int cols, long seed) {
        return Tensor.f32(SyntheticWeights.vector(rows * cols, (float) (1.0 / Math.sqrt(cols)), seed), rows, cols);
    }
}
