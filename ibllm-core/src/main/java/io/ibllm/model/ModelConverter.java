package io.ibllm.model;

import io.ibllm.io.FormatException;
import io.ibllm.io.GgufValue;
import io.ibllm.io.GgufWriter;
import io.ibllm.io.Json;
import io.ibllm.io.TensorEncoder;
import io.ibllm.io.TensorFile;
import io.ibllm.llama.LlamaAdapter;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import io.ibllm.tokenizer.ClipTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@code ibllm convert}: the original files into one GGUF (docs/GGUF.md). Every input is first
 * loaded as the commands would load it (strict key and shape checks, nothing copied: tensors are
 * mapped), so a bad input fails before anything is written. Then each tensor is converted to its
 * stored type while it is written; the file appears atomically.
 */
public final class ModelConverter {
    private static final int GGUF_MAX_RANK = 4;

    private ModelConverter() {}

    /**
     * @param llamaType   type of the base LLaMA matrices (F32, F16, Q8_0, Q4_0)
     * @param encoderType type of the ImageBind / Point-BERT matrices (F32 or F16)
     * @param cachePath   visual cache path to record, or null
     */
    public record Options(ModelFiles.Originals inputs, DType llamaType, DType encoderType, String cachePath, Path out) {
        public Options {
            if (!List.of(DType.F32, DType.F16, DType.Q8_0, DType.Q4_0).contains(llamaType)) {
                throw new IllegalArgumentException("--type must be f32, f16, q8_0 or q4_0, not " + llamaType);
            }
            if (encoderType != DType.F32 && encoderType != DType.F16) {
                throw new IllegalArgumentException("--encoder-type must be f32 or f16, not " + encoderType);
            }
        }
    }

    /** Progress over the source bytes read. */
    @FunctionalInterface
    public interface Progress {
        void update(String tensor, long doneBytes, long totalBytes);
    }

    public static void convert(Options o, Progress progress) {
        try (ModelFiles src = ModelFiles.original(o.inputs())) {
            String variant;
            try (LlamaAdapter check = src.loadLlama(1)) {
                variant = check.bindNetwork().variant().name().toLowerCase();
            }
            src.loadImageBind();
            Map<String, GgufValue> meta = metadata(o, src, variant);
            List<Planned> plan = new ArrayList<>();
            for (TensorFile shard : src.llamaBase()) plan(plan, ModelKeys.LLAMA, shard, (n, t) -> llamaType(n, t, o.llamaType()));
            plan(plan, ModelKeys.ADAPTER, src.adapter(), (n, t) -> adapterType(n, t, o.encoderType()));
            plan(plan, ModelKeys.IMAGEBIND, src.imagebind(), (n, t) -> encoderType(t, o.encoderType()));
            Map<String, List<Long>> folded = new LinkedHashMap<>();
            for (Planned p : plan) if (p.tensor.rank() > GGUF_MAX_RANK) folded.put(p.name, Arrays.stream(p.tensor.shape()).boxed().toList());
            if (!folded.isEmpty()) meta.put(ModelKeys.SHAPES, GgufValue.string(Json.write(folded)));
            GgufWriter.write(o.out(), meta, entries(plan, progress));
        }
    }

    /** A tensor to write: its GGUF name, source and stored type. */
    private record Planned(String name, Tensor tensor, DType type) {}

    private static void plan(List<Planned> plan, String prefix, TensorFile file, BiFunction<String, Tensor, DType> type) {
        for (Map.Entry<String, Tensor> e : file.tensors().entrySet()) {
            String name = prefix + e.getKey();
            plan.removeIf(p -> p.name.equals(name)); // a later shard overrides, as the loader does
            plan.add(new Planned(name, e.getValue(), type.apply(e.getKey(), e.getValue())));
        }
    }

    /**
     * Base LLaMA: matrices (including tok_embeddings and output) in the chosen type, except that
     * Q4_0 keeps tok_embeddings and output in Q8_0 (as llama.cpp keeps its output tensor more
     * precise: on the golden model this halves the Q4_0 logit error for +3% size on 7B); F16 where
     * a row is not whole 32-value blocks; norms and other vectors F32.
     */
    static DType llamaType(String name, Tensor t, DType chosen) {
        if (!t.dtype().isFloating()) return t.dtype();
        if (t.rank() != 2) return DType.F32;
        boolean ends = name.equals("tok_embeddings.weight") || name.equals("output.weight");
        DType type = chosen == DType.Q4_0 && ends ? DType.Q8_0 : chosen;
        return TensorEncoder.canEncode(t, type) ? type : DType.F16;
    }

    /**
     * Adapter: the bind network's matrices ({@code image_bind_*}, 2.4 GB of the 2.6 GB 7B.pth in
     * fp32) take the encoder type, being the image side's last stage and run once per input;
     * everything else (LoRA, biases, norms, gates, prefix) stays F32, as trained.
     */
    static DType adapterType(String name, Tensor t, DType encoderType) {
        if (!t.dtype().isFloating()) return t.dtype();
        return name.startsWith("image_bind_") && t.rank() == 2 ? encoderType : DType.F32;
    }

    /** ImageBind / Point-BERT: tensors of rank ≥ 2 in the encoder type, vectors and scalars F32. */
    static DType encoderType(Tensor t, DType chosen) {
        if (!t.dtype().isFloating()) return t.dtype();
        return t.rank() >= 2 ? chosen : DType.F32;
    }

    private static List<GgufWriter.Entry> entries(List<Planned> plan, Progress progress) {
        long total = plan.stream().mapToLong(p -> p.tensor.dtype().byteSize(p.tensor.numel())).sum();
        long[] done = {0};
        List<GgufWriter.Entry> entries = new ArrayList<>();
        for (Planned p : plan) {
            entries.add(new GgufWriter.Entry(p.name, p.type, stored(p.tensor.shape()), out -> TensorEncoder.write(out, p.tensor, p.type, bytes -> {
                done[0] += bytes;
                progress.update(p.name, done[0], total);
            })));
        }
        return entries;
    }

    /** GGUF allows 4 dimensions: leading dimensions are folded into the first (the original shape is metadata). */
    static long[] stored(long[] shape) {
        if (shape.length <= GGUF_MAX_RANK) return shape;
        int fold = shape.length - GGUF_MAX_RANK + 1;
        long[] s = new long[GGUF_MAX_RANK];
        s[0] = 1;
        for (int i = 0; i < fold; i++) s[0] *= shape[i];
        System.arraycopy(shape, fold, s, 1, GGUF_MAX_RANK - 1);
        return s;
    }

    private static Map<String, GgufValue> metadata(Options o, ModelFiles src, String variant) {
        Map<String, GgufValue> m = new LinkedHashMap<>();
        m.put(ModelKeys.ARCHITECTURE, GgufValue.string(ModelKeys.ARCH));
        m.put(ModelKeys.NAME, GgufValue.string("ImageBind-LLM"));
        m.put(ModelKeys.VERSION, GgufValue.u32(ModelKeys.FORMAT_VERSION));
        m.put(ModelKeys.LLAMA_PARAMS, GgufValue.string(src.llamaParams()));
        m.put(ModelKeys.LLAMA_TYPE, GgufValue.string(o.llamaType().name().toLowerCase()));
        m.put(ModelKeys.ADAPTER_VARIANT, GgufValue.string(variant));
        m.put(ModelKeys.IMAGEBIND_TYPE, GgufValue.string(o.encoderType().name().toLowerCase()));
        if (o.inputs().imagebindConfig() != null) m.put(ModelKeys.IMAGEBIND_CONFIG, GgufValue.string(read(o.inputs().imagebindConfig())));
        src.tokenizer(); // parses: a bad tokenizer.model fails here, not when the GGUF is used
        byte[] sp = readBytes(o.inputs().tokenizer());
        List<Long> bytes = new ArrayList<>(sp.length);
        for (byte b : sp) bytes.add((long) (b & 0xFF));
        m.put(ModelKeys.SENTENCEPIECE, GgufValue.array(GgufValue.Type.UINT8, bytes));
        m.put(ModelKeys.CLIP_MERGES, GgufValue.string(String.join("\n", ClipTokenizer.bundledMerges())));
        if (o.cachePath() != null) m.put(ModelKeys.CACHE_PATH, GgufValue.string(o.cachePath()));
        return m;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new FormatException(file, "cannot read: " + e.getMessage());
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new FormatException(file, "cannot read: " + e.getMessage());
        }
    }
}
