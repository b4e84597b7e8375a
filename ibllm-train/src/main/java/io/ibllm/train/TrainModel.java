package io.ibllm.train;

import io.ibllm.bind.Mixer;
import io.ibllm.io.FormatException;
import io.ibllm.io.TensorFile;
import io.ibllm.tensor.MatmulBackward;
import io.ibllm.tensor.Ops;
import io.ibllm.tensor.PackedWeight;
import io.ibllm.tensor.Tensor;
import io.ibllm.train.nn.BindNetworkTrain;
import io.ibllm.train.nn.CrossEntropy;
import io.ibllm.train.nn.Linear;
import io.ibllm.train.nn.Mat;
import io.ibllm.train.nn.RmsNorm;
import io.ibllm.train.nn.Rope;
import io.ibllm.train.nn.SwiGlu;
import io.ibllm.train.nn.TrainBlock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LLaMA + ImageBind-LLM adapter + bind network on the trained path, as the reference's
 * LLaMA_adapter.forward(tokens, labels, imgs) with the ImageBind feature given. Frozen LLaMA
 * weights stay tensors in their stored dtype; adapter tensors become {@link Param}s, trainable
 * or frozen according to the {@link Stage}.
 */
public final class TrainModel {
    private final Stage stage;
    private final int dim;
    private final int heads;
    private final int vocab;
    private final Tensor tokEmbeddings;
    private final PackedWeight output;
    private final List<TrainBlock> blocks = new ArrayList<>();
    private final List<PackedWeight> wvBase = new ArrayList<>();
    private final RmsNorm finalNorm;
    private final BindNetworkTrain bind;
    private final Param prefix;
    private final Map<String, Param> params = new LinkedHashMap<>();
    private final int ffnHidden;

    /** What one forward/backward gives. */
    public record StepResult(double loss, int targets, float[] tokenNll, float[] visualQuery) {}

    public TrainModel(Stage stage, TensorFile base, TensorFile adapter, int nHeads, float normEps, int maxSeq) {
        this.stage = stage;
        this.heads = nHeads;
        this.tokEmbeddings = base.get("tok_embeddings.weight");
        this.vocab = (int) tokEmbeddings.dim(0);
        this.dim = (int) tokEmbeddings.dim(1);
        this.output = Ops.prepare(base.get("output.weight"));
        this.ffnHidden = (int) base.get("layers.0.feed_forward.w1.weight").dim(0);
        int layers = 0;
        while (base.contains("layers." + layers + ".attention.wq.weight")) layers++;
        int bindIn = (int) adapter.get("image_bind_proj.weight").dim(1);
        int bindHidden = (int) adapter.get("image_bind_f1_1.weight").dim(0);
        bind = BindNetworkTrain.of(k -> param(adapter, k), bindIn, dim, bindHidden);
        Rope rope = new Rope(dim / nHeads, maxSeq, 10000.0);
        for (int l = 0; l < layers; l++) blocks.add(block(base, adapter, l, rope, normEps));
        finalNorm = new RmsNorm(param(adapter, "llama.norm.weight"), normEps);
        prefix = param(adapter, "prefix_query.weight");
    }

    private TrainBlock block(TensorFile base, TensorFile adapter, int l, Rope rope, float eps) {
        String b = "layers." + l + ".", a = "llama.layers." + l + ".";
        Param bq = opt(adapter, a + "attention.wq.bias"), bo = opt(adapter, a + "attention.wo.bias");
        Linear wq = lin(base, adapter, b + "attention.wq", a + "attention.lora_wq", bq);
        Linear wk = lin(base, adapter, b + "attention.wk", a + "attention.lora_wk", null);
        Tensor wvWeight = base.get(b + "attention.wv.weight");
        Linear wv = lin(wvWeight, adapter, a + "attention.lora_wv", null);
        Linear wo = lin(base, adapter, b + "attention.wo", a + "attention.lora_wo", bo);
        Param b1 = opt(adapter, a + "feed_forward.w1.bias"), b2 = opt(adapter, a + "feed_forward.w2.bias"),
                b3 = opt(adapter, a + "feed_forward.w3.bias");
        Linear w1 = lin(base, adapter, b + "feed_forward.w1", a + "feed_forward.lora_w1", b1);
        Linear w2 = lin(base, adapter, b + "feed_forward.w2", a + "feed_forward.lora_w2", b2);
        Linear w3 = lin(base, adapter, b + "feed_forward.w3", a + "feed_forward.lora_w3", b3);
        Param gate = param(adapter, a + "attention.gate");
        wvBase.add(Ops.prepare(wvWeight));
        return new TrainBlock(new RmsNorm(param(adapter, a + "attention_norm.weight"), eps), wq, wk, wv, wo, gate,
                new RmsNorm(param(adapter, a + "ffn_norm.weight"), eps), new SwiGlu(w1, w2, w3), rope, heads);
    }

    private Linear lin(TensorFile base, TensorFile adapter, String baseKey, String loraKey, Param bias) {
        return lin(base.get(baseKey + ".weight"), adapter, loraKey, bias);
    }

    private Linear lin(Tensor w, TensorFile adapter, String loraKey, Param bias) {
        Param la = opt(adapter, loraKey + "_l1.weight"), lb = opt(adapter, loraKey + "_l2.weight");
        return new Linear((int) w.dim(1), (int) w.dim(0), w, null, bias, la, lb);
    }

    /** LoRA/bias tensors exist only in stage 2; stage 1 ignores them (as strict=False does). */
    private Param opt(TensorFile adapter, String key) {
        if (!stage.hasLoraAndBias()) return null;
        return param(adapter, key);
    }

    private Param param(TensorFile adapter, String key) {
        if (!adapter.contains(key)) throw new FormatException(adapter.path(), "missing adapter tensor '" + key + "'");
        Tensor t = adapter.get(key);
        Param p = new Param(key, t.shape(), t.toFloatArray(), stage.trains(key));
        params.put(key, p);
        return p;
    }

    /** LoRA rank of the zero LoRA pairs a stage-1 adapter is saved with. */
    public static final int SAVED_LORA_RANK = 16;

    /**
     * The complete adapter in the official 7B.pth layout. A stage-1 model has no LoRA and no
     * biases; it is saved with zero biases and zero LoRA pairs, which compute exactly what the
     * stage-1 model computes, so the file loads strictly for inference and for stage 2.
     */
    public Map<String, io.ibllm.io.PthWriter.Entry> adapterTensors() {
        Map<String, io.ibllm.io.PthWriter.Entry> m = new LinkedHashMap<>();
        params.forEach((k, p) -> m.put(k, new io.ibllm.io.PthWriter.Entry(p.shape(), p.data)));
        if (stage.hasLoraAndBias()) return m;
        int r = SAVED_LORA_RANK;
        for (int l = 0; l < blocks.size(); l++) {
            String a = "llama.layers." + l + ".";
            zeros(m, a + "attention.wq.bias", dim);
            zeros(m, a + "attention.wo.bias", dim);
            for (String w : new String[] {"wq", "wk", "wv", "wo"}) {
                zeros(m, a + "attention.lora_" + w + "_l1.weight", r, dim);
                zeros(m, a + "attention.lora_" + w + "_l2.weight", dim, r);
            }
            zeros(m, a + "feed_forward.w1.bias", ffnHidden);
            zeros(m, a + "feed_forward.w2.bias", dim);
            zeros(m, a + "feed_forward.w3.bias", ffnHidden);
            zeros(m, a + "feed_forward.lora_w1_l1.weight", r, dim);
            zeros(m, a + "feed_forward.lora_w1_l2.weight", ffnHidden, r);
            zeros(m, a + "feed_forward.lora_w2_l1.weight", r, ffnHidden);
            zeros(m, a + "feed_forward.lora_w2_l2.weight", dim, r);
            zeros(m, a + "feed_forward.lora_w3_l1.weight", r, dim);
            zeros(m, a + "feed_forward.lora_w3_l2.weight", ffnHidden, r);
        }
        return m;
    }

    private static void zeros(Map<String, io.ibllm.io.PthWriter.Entry> m, String key, long... shape) {
        m.put(key, new io.ibllm.io.PthWriter.Entry(shape, new float[(int) Tensor.numel(shape)]));
    }

    public int layers() { return blocks.size(); }

    /** Every adapter parameter by state-dict key, in module order. */
    public Map<String, Param> params() { return params; }

    /** The trainable parameters in module order. */
    public List<Param> trainable() {
        return params.values().stream().filter(Param::trainable).toList();
    }

    public Stage stage() { return stage; }
    public int vocab() { return vocab; }
    public int dim() { return dim; }

    /**
     * One forward and backward over a batch: tokens and labels [B, T], features [B, bindIn]
     * (the ImageBind embeddings; null = no visual input), visual[b] false = no injection for b.
     * Gradients are ADDED to the parameters' grad buffers.
     */
    public StepResult forwardBackward(long[] tokens, long[] labels, int batch, int seq, float[] features, boolean[] visual) {
        int rows = batch * seq;
        float[] x = embed(tokens, rows);
        float[] visualQuery = null;
        float[][] adapterValues = new float[blocks.size()][];
        if (features != null) {
            visualQuery = bind.forward(mixSingle(features, batch), batch);
            for (int l = 0; l < blocks.size(); l++) adapterValues[l] = adapterValue(l, visualQuery, batch);
        }
        boolean[] vis = visual != null ? visual : filled(batch, features != null);
        for (int l = 0; l < blocks.size(); l++) x = blocks.get(l).forward(x, batch, seq, adapterValues[l], vis);
        float[] hn = finalNorm.forward(x, rows);
        float[] logits = new float[rows * vocab];
        Ops.matmul(output, hn, rows, logits);
        CrossEntropy.Result ce = CrossEntropy.forwardBackward(logits, labels, batch, seq, vocab);
        float[] dhn = new float[rows * dim];
        MatmulBackward.accumulate(output, ce.dlogits(), rows, dhn);
        float[] dx = finalNorm.backward(dhn);
        boolean visualGrads = features != null && stage == Stage.PRETRAIN;
        float[] dF = visualGrads ? new float[batch * dim] : null;
        for (int l = blocks.size() - 1; l >= 0; l--) {
            float[] dAv = visualGrads ? new float[batch * dim] : null;
            dx = blocks.get(l).backward(dx, dAv);
            if (visualGrads) adapterBackward(l, dAv, dF, batch);
        }
        if (visualGrads) bind.backward(dF);
        return new StepResult(ce.loss(), ce.targets(), ce.tokenNll(), visualQuery);
    }

    private static boolean[] filled(int n, boolean v) {
        boolean[] r = new boolean[n];
        java.util.Arrays.fill(r, v);
        return r;
    }

    private float[] embed(long[] tokens, int rows) {
        float[] x = new float[rows * dim];
        for (int n = 0; n < rows; n++) {
            long id = tokens[n];
            if (id < 0 || id >= vocab) throw new IllegalArgumentException("token id " + id + " outside the vocabulary");
            long base = id * dim;
            for (int i = 0; i < dim; i++) x[n * dim + i] = tokEmbeddings.getFloat(base + i);
        }
        return x;
    }

    /** forward_visual with one input of weight 1 per sample (spec §5: normalise, then 1/(1 + 1e-6)). */
    static float[] mixSingle(float[] features, int batch) {
        int d = features.length / batch;
        float[] f = new float[features.length];
        for (int b = 0; b < batch; b++) {
            float[] one = Mixer.mix(List.of(java.util.Arrays.copyOfRange(features, b * d, (b + 1) * d)), new float[] {1f});
            System.arraycopy(one, 0, f, b * d, d);
        }
        return f;
    }

    /** Wv_l · (F + prefix[l]) for every sample: the frozen base value projection, no LoRA. */
    private float[] adapterValue(int l, float[] visualQuery, int batch) {
        float[] a = new float[batch * dim];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < dim; i++) a[b * dim + i] = visualQuery[b * dim + i] + prefix.data[l * dim + i];
        }
        float[] v = new float[batch * dim];
        Ops.matmul(wvBase.get(l), a, batch, v);
        return v;
    }

    private void adapterBackward(int l, float[] dAv, float[] dF, int batch) {
        float[] dA = new float[batch * dim];
        MatmulBackward.accumulate(wvBase.get(l), dAv, batch, dA);
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < dim; i++) {
                dF[b * dim + i] += dA[b * dim + i];
                if (prefix.trainable()) prefix.grad[l * dim + i] += dA[b * dim + i];
            }
        }
    }
}
