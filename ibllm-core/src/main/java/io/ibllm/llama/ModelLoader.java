package io.ibllm.llama;

import io.ibllm.bind.BindNetwork;
import io.ibllm.io.Checkpoints;
import io.ibllm.io.FormatException;
import io.ibllm.io.TensorFile;
import io.ibllm.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads ImageBind-LLM as the reference does: the base LLaMA (params.json + consolidated.*.pth,
 * sorted) first, then the adapter checkpoint ({'model': {...}}, LLaMA keys prefixed "llama.")
 * whose values override the base (e.g. the fine-tuned norm weights). Strict: see {@link WeightSet}.
 * Base matrices stay mapped in their stored dtype.
 */
public final class ModelLoader {
    private static final String LLAMA = "llama.";

    private ModelLoader() {}

    public static LlamaAdapter load(Path llamaDir, Path adapter, int contextLength) {
        Path dir = modelDir(llamaDir);
        LlamaConfig config = LlamaConfig.read(dir.resolve("params.json"), contextLength);
        List<TensorFile> base = new ArrayList<>();
        TensorFile a = null;
        try {
            for (Path shard : shards(dir)) base.add(Checkpoints.open(shard));
            a = Checkpoints.open(adapter);
        } catch (RuntimeException e) {
            for (TensorFile f : base) f.close();
            throw e;
        }
        return load(base, a, config);
    }

    /**
     * The same from opened files (e.g. views into a converted GGUF): base shards in order, the
     * adapter over them, and the params. The files are closed with the returned model, or here
     * when loading fails.
     */
    public static LlamaAdapter load(List<TensorFile> base, TensorFile adapter, LlamaConfig params) {
        List<TensorFile> files = new ArrayList<>(base);
        files.add(adapter);
        try {
            WeightSet w = new WeightSet();
            for (TensorFile f : base) w.add(f, LLAMA);
            w.add(adapter, "");
            return build(w, params, files);
        } catch (RuntimeException e) {
            for (TensorFile f : files) f.close();
            throw e;
        }
    }

    /** {@code dir} itself when it holds params.json, else its single subfolder that does. */
    public static Path modelDir(Path dir) {
        if (Files.isRegularFile(dir.resolve("params.json"))) return dir;
        if (!Files.isDirectory(dir)) throw new FormatException(dir, "LLaMA folder not found");
        List<Path> subs;
        try (Stream<Path> s = Files.list(dir)) {
            subs = s.filter(p -> Files.isRegularFile(p.resolve("params.json"))).sorted().toList();
        } catch (IOException e) {
            throw new FormatException(dir, "cannot list: " + e.getMessage());
        }
        if (subs.size() == 1) return subs.getFirst();
        throw new FormatException(dir, subs.isEmpty()
                ? "no params.json here or in a subfolder; --llama-dir must be the folder holding params.json and consolidated.*.pth"
                : "several model folders " + subs.stream().map(p -> p.getFileName().toString()).toList() + "; name one");
    }

    /** consolidated.*.pth sorted by name; consolidated.*.safetensors are accepted where no .pth exists. */
    public static List<Path> shards(Path dir) {
        List<Path> pth = list(dir, ".pth");
        List<Path> found = pth.isEmpty() ? list(dir, ".safetensors") : pth;
        if (found.isEmpty()) throw new FormatException(dir, "no consolidated.*.pth checkpoint in this folder");
        return found;
    }

    private static List<Path> list(Path dir, String ext) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.startsWith("consolidated.") && n.endsWith(ext);
            }).sorted().toList();
        } catch (IOException e) {
            throw new FormatException(dir, "cannot list: " + e.getMessage());
        }
    }

    private static LlamaAdapter build(WeightSet w, LlamaConfig params, List<TensorFile> files) {
        String emb = LLAMA + "tok_embeddings.weight";
        long[] embShape = w.shape(emb);
        int vocab = embShape != null && embShape.length == 2 ? (int) embShape[0] : 1;
        LlamaConfig c = params.withVocab(vocab);
        Tensor tok = w.take(emb, vocab, c.dim());
        List<TransformerBlock> layers = new ArrayList<>();
        for (int l = 0; l < c.nLayers(); l++) layers.add(block(w, c, l));
        float[] norm = w.takeFloats(LLAMA + "norm.weight", c.dim());
        Tensor output = w.take(LLAMA + "output.weight", vocab, c.dim());
        long[] prefixShape = w.shape("prefix_query.weight");
        int queryLayers = prefixShape != null && prefixShape.length == 2
                ? (int) Math.min(prefixShape[0], c.nLayers()) : c.nLayers();
        Tensor prefix = w.take("prefix_query.weight", queryLayers, c.dim());
        BindNetwork bind = BindLoader.load(w, c.dim());
        w.finish();
        float[][] rows = new float[queryLayers][];
        float[] all = prefix.toFloatArray();
        for (int i = 0; i < queryLayers; i++) rows[i] = Arrays.copyOfRange(all, i * c.dim(), (i + 1) * c.dim());
        return new LlamaAdapter(new LlamaModel(c, tok, layers, norm, output, rows), bind, files);
    }

    private static TransformerBlock block(WeightSet w, LlamaConfig c, int l) {
        String p = LLAMA + "layers." + l + ".";
        int d = c.dim(), h = c.ffnHidden();
        AdaptedLinear wq = linear(w, p + "attention.wq", p + "attention.lora_wq", d, d, true);
        AdaptedLinear wk = linear(w, p + "attention.wk", p + "attention.lora_wk", d, d, false);
        AdaptedLinear wv = linear(w, p + "attention.wv", p + "attention.lora_wv", d, d, false);
        AdaptedLinear wo = linear(w, p + "attention.wo", p + "attention.lora_wo", d, d, true);
        float[] gate = w.takeFloats(p + "attention.gate", 1, c.nHeads(), 1, 1);
        AdaptedLinear w1 = linear(w, p + "feed_forward.w1", p + "feed_forward.lora_w1", h, d, true);
        AdaptedLinear w2 = linear(w, p + "feed_forward.w2", p + "feed_forward.lora_w2", d, h, true);
        AdaptedLinear w3 = linear(w, p + "feed_forward.w3", p + "feed_forward.lora_w3", h, d, true);
        float[] attNorm = w.takeFloats(p + "attention_norm.weight", d);
        float[] ffnNorm = w.takeFloats(p + "ffn_norm.weight", d);
        if (wq == null || wk == null || wv == null || wo == null || gate == null || w1 == null || w2 == null
                || w3 == null || attNorm == null || ffnNorm == null) {
            return null; // the problem is recorded; WeightSet.finish() reports it
        }
        return new TransformerBlock(l, attNorm, new Attention(wq, wk, wv, wo, gate), ffnNorm,
                new FeedForward(w1, w2, w3), c.normEps());
    }

    /** weight [out, in] (+ bias [out]) + LoRA l1 [r, in], l2 [out, r] with r read from l1. */
    private static AdaptedLinear linear(WeightSet w, String name, String lora, int out, int in, boolean bias) {
        Tensor weight = w.take(name + ".weight", out, in);
        Tensor b = bias ? w.take(name + ".bias", out) : null;
        long[] aShape = w.shape(lora + "_l1.weight");
        long rank = aShape != null && aShape.length == 2 && aShape[0] > 0 ? aShape[0] : 16;
        Tensor a = w.take(lora + "_l1.weight", rank, in);
        Tensor bm = w.take(lora + "_l2.weight", out, rank);
        if (weight == null || (bias && b == null) || a == null || bm == null) return null;
        return new AdaptedLinear(weight, b, a, bm);
    }
}
