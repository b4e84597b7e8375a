package io.ibllm.cli;

import io.ibllm.imagebind.ImageBindConfig;
import io.ibllm.imagebind.Modality;
import io.ibllm.imagebind.SyntheticCheckpoint;
import io.ibllm.io.AtomicFiles;
import io.ibllm.io.Json;
import io.ibllm.io.PthWriter;
import io.ibllm.llama.LlamaConfig;
import io.ibllm.pointbind.PointBertConfig;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.SyntheticWeights;
import io.ibllm.tensor.Tensor;
import io.ibllm.tokenizer.ProtoWriter;
import io.ibllm.tokenizer.SentencePieceModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files a user brings, with random weights of real shapes, in the official formats (spec §2.7,
 * §2.8, §6.7, §9): {@code llama/7B/consolidated.00.pth} (fp16) + {@code params.json},
 * {@code tokenizer.model} (a SentencePiece BPE model with exactly the vocabulary's pieces),
 * the adapter {@code 7B.pth} ({@code {'model': ...}}, stable bridge, fp32 with fp16 gates) and
 * {@code imagebind_w3D.pth} (ImageBind + Point-BERT, fp32). Every file is streamed one tensor
 * at a time, and {@link #plannedBytes} gives each file's exact size without writing anything.
 */
final class SyntheticOriginals {
    static final String LLAMA_DIR = "llama", MODEL = "7B", TOKENIZER = "tokenizer.model", ADAPTER = "7B.pth",
            IMAGEBIND = "imagebind_w3D.pth", IMAGEBIND_CONFIG = "imagebind_config.json";
    private static final int LORA_RANK = 16;

    /** A geometry: the LLaMA (params.json values), ImageBind (null config file = the official huge) and Point-BERT. */
    record Geometry(String name, LlamaConfig llama, int multipleOf, ImageBindConfig imagebind, String imagebindJson, PointBertConfig point) {
        int bindIn() { return imagebind.integer("out_embed_dim"); }
    }

    /** LLaMA-7B (Meta's params.json, 32000 pieces) + ImageBind-huge + the official Point-BERT. */
    static Geometry llama7b() {
        return new Geometry("7b", new LlamaConfig(4096, 32, 32, LlamaConfig.ffnHidden(4096, 256), 1e-6f, 32000, LlamaConfig.DEFAULT_CONTEXT),
                256, ImageBindConfig.defaults(), null, PointBertConfig.OFFICIAL);
    }

    /** A few MB: dim 64, 2 layers, 512 pieces; every ImageBind tower one block of width 8 to 24. */
    static Geometry tiny() {
        String json = """
                {"imagebind": {"out_embed_dim": 16, "kernel_size": [2, 16, 16],
                  "vision_embed_dim": 24, "vision_num_blocks": 1, "vision_num_heads": 3,
                  "text_embed_dim": 16, "text_num_blocks": 1, "text_num_heads": 2,
                  "audio_embed_dim": 16, "audio_num_blocks": 1, "audio_num_heads": 2,
                  "depth_embed_dim": 16, "depth_num_blocks": 1, "depth_num_heads": 2,
                  "thermal_embed_dim": 8, "thermal_num_blocks": 1, "thermal_num_heads": 1,
                  "imu_embed_dim": 8, "imu_num_blocks": 1, "imu_num_heads": 2},
                 "point": {"trans_dim": 16, "depth": 1, "num_heads": 2, "group_size": 8, "num_group": 16, "encoder_dims": 32}}
                """;
        ImageBindConfig c = ImageBindConfig.fromJson((Map<?, ?>) Json.parse(json, Path.of(IMAGEBIND_CONFIG)), Path.of(IMAGEBIND_CONFIG));
        return new Geometry("tiny", new LlamaConfig(64, 2, 4, LlamaConfig.ffnHidden(64, 32), 1e-6f, 512, LlamaConfig.DEFAULT_CONTEXT),
                32, c, json, new PointBertConfig(16, 1, 2, 8, 16, 32));
    }

    static Geometry named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "7b" -> llama7b();
            case "tiny" -> tiny();
            default -> throw new IllegalArgumentException("--synthetic must be 7b or tiny, got '" + name + "'");
        };
    }

    private final Geometry g;

    SyntheticOriginals(Geometry g) { this.g = g; }

    Path llamaDir(Path root) { return root.resolve(LLAMA_DIR).resolve(MODEL); }

    Path consolidated(Path root) { return llamaDir(root).resolve("consolidated.00.pth"); }

    /** --imagebind-config for the loaders, or null for the official huge model. */
    Path imagebindConfig(Path root) { return g.imagebindJson() == null ? null : root.resolve(IMAGEBIND_CONFIG); }

    /** The size of every file {@link #write} makes, relative path → bytes (exact). */
    Map<String, Long> plannedBytes(Path root) {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put(rel(root, consolidated(root)), PthWriter.size(consolidated(root), null, llamaPlan()));
        m.put(rel(root, llamaDir(root).resolve("params.json")), (long) params().length);
        m.put(TOKENIZER, (long) tokenizer().length);
        m.put(ADAPTER, PthWriter.size(root.resolve(ADAPTER), "model", adapterPlan()));
        m.put(IMAGEBIND, PthWriter.size(root.resolve(IMAGEBIND), null, imagebindPlan()));
        if (g.imagebindJson() != null) m.put(IMAGEBIND_CONFIG, (long) g.imagebindJson().getBytes(StandardCharsets.UTF_8).length);
        return m;
    }

    /** Writes every file under {@code root}, telling {@code progress} each file as it starts. */
    void write(Path root, java.util.function.Consumer<String> progress) {
        progress.accept(rel(root, consolidated(root)));
        PthWriter.write(consolidated(root), null, llamaPlan());
        bytes(llamaDir(root).resolve("params.json"), params());
        progress.accept(TOKENIZER);
        bytes(root.resolve(TOKENIZER), tokenizer());
        progress.accept(ADAPTER);
        PthWriter.write(root.resolve(ADAPTER), "model", adapterPlan());
        progress.accept(IMAGEBIND);
        PthWriter.write(root.resolve(IMAGEBIND), null, imagebindPlan());
        if (g.imagebindJson() != null) bytes(root.resolve(IMAGEBIND_CONFIG), g.imagebindJson().getBytes(StandardCharsets.UTF_8));
    }

    static String rel(Path root, Path p) { return root.relativize(p).toString(); }

    private static void bytes(Path p, byte[] b) { AtomicFiles.write(p, o -> o.write(b)); }

    private byte[] params() {
        LlamaConfig c = g.llama();
        return String.format(Locale.ROOT, "{\"dim\": %d, \"multiple_of\": %d, \"n_heads\": %d, \"n_layers\": %d, \"norm_eps\": %s, \"vocab_size\": -1}",
                c.dim(), g.multipleOf(), c.nHeads(), c.nLayers(), c.normEps() == 1e-6f ? "1e-06" : Float.toString(c.normEps()))
                .getBytes(StandardCharsets.UTF_8);
    }

    // ---- consolidated.00.pth: Meta's keys, everything fp16 ----

    List<PthWriter.Planned> llamaPlan() {
        LlamaConfig c = g.llama();
        int d = c.dim(), h = c.ffnHidden();
        Plan p = new Plan(1000);
        p.matrix("tok_embeddings.weight", DType.F16, c.vocabSize(), d, 1f);
        for (int l = 0; l < c.nLayers(); l++) {
            String k = "layers." + l + ".";
            for (String w : new String[] {"wq", "wk", "wv", "wo"}) p.matrix(k + "attention." + w + ".weight", DType.F16, d, d, scale(d));
            p.matrix(k + "feed_forward.w1.weight", DType.F16, h, d, scale(d));
            p.matrix(k + "feed_forward.w2.weight", DType.F16, d, h, scale(h));
            p.matrix(k + "feed_forward.w3.weight", DType.F16, h, d, scale(d));
            p.ones(k + "attention_norm.weight", DType.F16, d);
            p.ones(k + "ffn_norm.weight", DType.F16, d);
        }
        p.ones("norm.weight", DType.F16, d);
        p.matrix("output.weight", DType.F16, c.vocabSize(), d, scale(d));
        return p.list;
    }

    // ---- 7B.pth: the stable adapter (spec §2.8 table), fp32 with fp16 gates ----

    List<PthWriter.Planned> adapterPlan() {
        LlamaConfig c = g.llama();
        int d = c.dim(), h = c.ffnHidden(), hidden = 4 * d, in = g.bindIn();
        Plan p = new Plan(2000);
        p.matrix("image_bind_proj.weight", DType.F32, d, in, scale(in));
        p.vector("image_bind_proj.bias", d, scale(in), 0f);
        for (int k = 1; k <= 3; k++) {
            p.vector("image_bind_norm_" + k + ".weight", d, 0.1f, 1f);
            p.matrix("image_bind_f1_" + k + ".weight", DType.F32, hidden, d, scale(d));
            p.matrix("image_bind_f2_" + k + ".weight", DType.F32, d, hidden, scale(hidden));
            p.matrix("image_bind_f3_" + k + ".weight", DType.F32, hidden, d, scale(d));
        }
        p.matrix("prefix_query.weight", DType.F32, c.nLayers(), d, 1f);
        for (int l = 0; l < c.nLayers(); l++) {
            String a = "llama.layers." + l + ".";
            p.gate(a + "attention.gate", c.nHeads());
            p.vector(a + "attention.wq.bias", d, 0.02f, 0f);
            p.vector(a + "attention.wo.bias", d, 0.02f, 0f);
            for (String w : new String[] {"wq", "wk", "wv", "wo"}) p.lora(a + "attention.lora_" + w, d, d);
            p.vector(a + "feed_forward.w1.bias", h, 0.02f, 0f);
            p.vector(a + "feed_forward.w2.bias", d, 0.02f, 0f);
            p.vector(a + "feed_forward.w3.bias", h, 0.02f, 0f);
            p.lora(a + "feed_forward.lora_w1", h, d);
            p.lora(a + "feed_forward.lora_w2", d, h);
            p.lora(a + "feed_forward.lora_w3", h, d);
            p.vector(a + "attention_norm.weight", d, 0.1f, 1f);
            p.vector(a + "ffn_norm.weight", d, 0.1f, 1f);
        }
        p.vector("llama.norm.weight", d, 0.1f, 1f);
        return p.list;
    }

    // ---- imagebind_w3D.pth: every tower + Point-BERT, fp32 (SyntheticCheckpoint's layout) ----

    List<PthWriter.Planned> imagebindPlan() {
        return SyntheticCheckpoint.plan(g.imagebind(), g.point(), EnumSet.allOf(Modality.class), 3);
    }

    private static float scale(int fanIn) { return (float) (1 / Math.sqrt(fanIn)); }

    /** Planned tensors, each made (with its own seed) only when written. */
    private static final class Plan {
        final List<PthWriter.Planned> list = new ArrayList<>();
        long seed;

        Plan(long seed) { this.seed = seed; }

        void matrix(String name, DType t, int rows, int cols, float scale) {
            long s = seed++;
            list.add(new PthWriter.Planned(name, t, new long[] {rows, cols}, () -> SyntheticWeights.tensor(t, rows, cols, scale, s)));
        }

        /** LoRA of a [out, in] linear: l1 [16, in], l2 [out, 16]. */
        void lora(String name, int out, int in) {
            matrix(name + "_l1.weight", DType.F32, LORA_RANK, in, scale(in));
            matrix(name + "_l2.weight", DType.F32, out, LORA_RANK, 0.01f);
        }

        void vector(String name, int n, float scale, float offset) {
            long s = seed++;
            list.add(new PthWriter.Planned(name, DType.F32, new long[] {n}, () -> {
                float[] v = SyntheticWeights.vector(n, scale, s);
                for (int i = 0; i < n; i++) v[i] += offset;
                return Tensor.f32(v, n);
            }));
        }

        void ones(String name, DType t, int n) {
            list.add(new PthWriter.Planned(name, t, new long[] {n}, () -> {
                Tensor x = Tensor.allocate(t, n);
                for (long i = 0; i < n; i++) x.segment().set(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), 2 * i, Float.floatToFloat16(1f));
                return x;
            }));
        }

        /** attention.gate [1, heads, 1, 1] in fp16, as the released 7B.pth stores it. */
        void gate(String name, int heads) {
            long s = seed++;
            list.add(new PthWriter.Planned(name, DType.F16, new long[] {1, heads, 1, 1},
                    () -> SyntheticWeights.tensor(DType.F16, 1, heads, 0.6f, s).reshape(1, heads, 1, 1)));
        }
    }

    // ---- tokenizer.model: SentencePiece ModelProto (BPE, byte fallback, as LLaMA's) ----

    /** <unk>, <s>, </s>, the 256 byte pieces, "▁" and printable ASCII, then filler pieces up to the vocabulary. */
    byte[] tokenizer() {
        int vocab = g.llama().vocabSize();
        List<String> normal = new ArrayList<>();
        normal.add("\u2581");
        for (char ch = '!'; ch <= '~'; ch++) normal.add(String.valueOf(ch));
        for (String w : "What is in this image ? The a an of and to".split(" ")) normal.add("\u2581" + w);
        int fixed = 3 + 256;
        if (fixed + normal.size() > vocab) throw new IllegalArgumentException("vocabulary of " + vocab + " is too small for a tokenizer");
        for (int i = 0; fixed + normal.size() < vocab; i++) normal.add("\u2581tok" + i);
        ProtoWriter m = new ProtoWriter();
        m.msg(1, piece("<unk>", 0f, SentencePieceModel.UNKNOWN));
        m.msg(1, piece("<s>", 0f, SentencePieceModel.CONTROL));
        m.msg(1, piece("</s>", 0f, SentencePieceModel.CONTROL));
        for (int b = 0; b < 256; b++) m.msg(1, piece(String.format(Locale.ROOT, "<0x%02X>", b), 0f, SentencePieceModel.BYTE));
        for (int i = 0; i < normal.size(); i++) m.msg(1, piece(normal.get(i), -i, SentencePieceModel.NORMAL));
        // trainer_spec: model_type, vocab_size, byte_fallback; normalizer_spec: name,
        // add_dummy_prefix, remove_extra_whitespaces
        m.msg(2, new ProtoWriter().uint(3, SentencePieceModel.BPE).uint(4, vocab).uint(35, 1));
        m.msg(3, new ProtoWriter().str(1, "identity").uint(3, 1).uint(4, 0));
        return m.toByteArray();
    }

    private static ProtoWriter piece(String piece, float score, int type) {
        return new ProtoWriter().str(1, piece).f32(2, score).uint(3, type);
    }
}
