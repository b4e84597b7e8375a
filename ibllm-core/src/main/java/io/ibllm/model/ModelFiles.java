package io.ibllm.model;

import io.ibllm.imagebind.ImageBindConfig;
import io.ibllm.imagebind.ImageBindModel;
import io.ibllm.io.Checkpoints;
import io.ibllm.io.FormatException;
import io.ibllm.io.Gguf;
import io.ibllm.io.GgufValue;
import io.ibllm.io.Json;
import io.ibllm.io.TensorFile;
import io.ibllm.llama.LlamaAdapter;
import io.ibllm.llama.LlamaConfig;
import io.ibllm.llama.ModelLoader;
import io.ibllm.tokenizer.ClipTokenizer;
import io.ibllm.tokenizer.SentencePieceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the model comes from: either the original files (LLaMA folder, tokenizer.model, adapter
 * checkpoint, ImageBind checkpoint + config) or one converted GGUF holding them all. Commands ask
 * this for the parts they need and never care which it is. Tensors stay memory-mapped; closing
 * this unmaps every file it opened, so close it after the models built from it.
 */
public final class ModelFiles implements AutoCloseable {
    /** The original files; any may be null when a command does not need that part. */
    public record Originals(Path llamaDir, Path tokenizer, Path adapter, Path imagebind, Path imagebindConfig) {}

    private final Gguf gguf;            // null for original files
    private final Originals originals;  // null for a GGUF
    private final Map<String, long[]> originalShapes;
    private final List<TensorFile> opened = new ArrayList<>();

    private ModelFiles(Gguf gguf, Originals originals, Map<String, long[]> originalShapes) {
        this.gguf = gguf;
        this.originals = originals;
        this.originalShapes = originalShapes;
    }

    /** The original files. */
    public static ModelFiles original(Originals files) {
        return new ModelFiles(null, files, Map.of());
    }

    /** A GGUF written by {@code ibllm convert}; a one-line error for any other file. */
    public static ModelFiles gguf(Path model) {
        if (Checkpoints.sniff(model) != Checkpoints.Kind.GGUF) throw new FormatException(model, "not a GGUF file (write one with ibllm convert)");
        Gguf g = Gguf.open(model);
        try {
            GgufValue v = g.metadata().get(ModelKeys.VERSION);
            if (v == null) throw new FormatException(model, "is a GGUF but not an ibllm model (no '" + ModelKeys.VERSION + "'); write one with ibllm convert");
            if (v.asLong() != ModelKeys.FORMAT_VERSION) {
                throw new FormatException(model, "ibllm model format version " + v.asLong() + ", this ibllm reads " + ModelKeys.FORMAT_VERSION);
            }
            return new ModelFiles(g, null, shapes(g));
        } catch (RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /**
     * {@code --model} or the original files, not both. {@code needed} names the option of each
     * original file the command needs (e.g. "--llama-dir"), checked when there is no --model.
     */
    public static ModelFiles resolve(Path model, Originals files, String... needed) {
        Map<String, Path> given = new LinkedHashMap<>();
        given.put("--llama-dir", files.llamaDir());
        given.put("--tokenizer", files.tokenizer());
        given.put("--adapter", files.adapter());
        given.put("--imagebind", files.imagebind());
        given.put("--imagebind-config", files.imagebindConfig());
        if (model != null) {
            for (var e : given.entrySet()) {
                if (e.getValue() != null) throw new IllegalArgumentException("--model holds the whole model: do not combine it with " + e.getKey());
            }
            return gguf(model);
        }
        for (String option : needed) {
            if (given.get(option) == null) throw new IllegalArgumentException("missing " + option + " (or give --model FILE.gguf)");
        }
        return original(files);
    }

    public boolean isGguf() { return gguf != null; }

    /** The file errors about the model should name. */
    public Path source() { return gguf != null ? gguf.path() : originals.llamaDir(); }

    /** Base LLaMA shards, in order. */
    public List<TensorFile> llamaBase() {
        if (gguf != null) return List.of(view(ModelKeys.LLAMA));
        List<TensorFile> shards = new ArrayList<>();
        for (Path shard : ModelLoader.shards(ModelLoader.modelDir(originals.llamaDir()))) shards.add(open(shard));
        return shards;
    }

    /** params.json text and the file it came from. */
    public String llamaParams() {
        if (gguf != null) return gguf.meta(ModelKeys.LLAMA_PARAMS).asString();
        return readText(paramsFile());
    }

    private Path paramsFile() {
        return gguf != null ? gguf.path() : ModelLoader.modelDir(originals.llamaDir()).resolve("params.json");
    }

    public TensorFile adapter() { return gguf != null ? view(ModelKeys.ADAPTER) : open(originals.adapter()); }

    public TensorFile imagebind() {
        if (gguf == null) return open(originals.imagebind());
        TensorFile v = view(ModelKeys.IMAGEBIND);
        if (v.names().isEmpty()) throw new FormatException(gguf.path(), "holds no ImageBind tensors (imagebind.*)");
        return v;
    }

    public ImageBindConfig imagebindConfig() {
        if (gguf == null) {
            return originals.imagebindConfig() == null ? ImageBindConfig.defaults() : ImageBindConfig.read(originals.imagebindConfig());
        }
        GgufValue json = gguf.metadata().get(ModelKeys.IMAGEBIND_CONFIG);
        if (json == null) return ImageBindConfig.defaults();
        if (!(Json.parse(json.asString(), gguf.path()) instanceof Map<?, ?> m)) {
            throw new FormatException(gguf.path(), ModelKeys.IMAGEBIND_CONFIG + " is not a JSON object");
        }
        return ImageBindConfig.fromJson(m, gguf.path());
    }

    public SentencePieceTokenizer tokenizer() {
        if (gguf == null) return SentencePieceTokenizer.load(originals.tokenizer());
        return SentencePieceTokenizer.parse(bytes(gguf.meta(ModelKeys.SENTENCEPIECE)), gguf.path());
    }

    /** The file the tokenizer came from (for error messages). */
    public Path tokenizerSource() { return gguf != null ? gguf.path() : originals.tokenizer(); }

    /** ImageBind's CLIP tokenizer: the merges embedded in the GGUF, else the bundled ones. */
    public ClipTokenizer clip() {
        if (gguf == null || !gguf.metadata().containsKey(ModelKeys.CLIP_MERGES)) return ClipTokenizer.standard();
        return ClipTokenizer.of(gguf.meta(ModelKeys.CLIP_MERGES).asString().lines().toList(), gguf.path());
    }

    /** The visual cache path recorded at conversion, if any. */
    public Optional<Path> cachePath() {
        GgufValue v = gguf == null ? null : gguf.metadata().get(ModelKeys.CACHE_PATH);
        return v == null ? Optional.empty() : Optional.of(Path.of(v.asString()));
    }

    /** Base LLaMA + adapter + bind network, strict as {@link ModelLoader}. */
    public LlamaAdapter loadLlama(int contextLength) {
        LlamaConfig params = LlamaConfig.parse(llamaParams(), paramsFile(), contextLength);
        return ModelLoader.load(llamaBase(), adapter(), params);
    }

    public ImageBindModel loadImageBind() {
        return ImageBindModel.load(imagebind(), imagebindConfig());
    }

    @Override
    public void close() {
        for (TensorFile f : opened) f.close();
        opened.clear();
        if (gguf != null) gguf.close();
    }

    private TensorFile open(Path file) {
        TensorFile f = Checkpoints.open(file);
        opened.add(f);
        return new FileView(f, "", Map.of());
    }

    private TensorFile view(String prefix) {
        return new FileView(gguf, prefix, originalShapes);
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new FormatException(file, "cannot read: " + e.getMessage());
        }
    }

    private byte[] bytes(GgufValue v) {
        if (v.type() != GgufValue.Type.ARRAY || v.elementType() != GgufValue.Type.UINT8) {
            throw new FormatException(gguf.path(), ModelKeys.SENTENCEPIECE + " must be a UINT8 array");
        }
        List<?> list = v.asList();
        byte[] b = new byte[list.size()];
        for (int i = 0; i < b.length; i++) b[i] = ((Number) list.get(i)).byteValue();
        return b;
    }

    private static long numel(long[] shape) {
        long n = 1;
        try {
            for (long d : shape) n = Math.multiplyExact(n, d);
        } catch (ArithmeticException e) {
            return -1;
        }
        return n;
    }

    /** ibllm.original_shapes: {name: [dims]} (absent = no tensor was folded). */
    private static Map<String, long[]> shapes(Gguf g) {
        GgufValue v = g.metadata().get(ModelKeys.SHAPES);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        if (v == null) return shapes;
        if (!(Json.parse(v.asString(), g.path()) instanceof Map<?, ?> m)) throw new FormatException(g.path(), ModelKeys.SHAPES + " is not a JSON object");
        for (var e : m.entrySet()) {
            if (!(e.getValue() instanceof List<?> dims) || !dims.stream().allMatch(d -> d instanceof Number n && n.longValue() >= 0)) {
                throw new FormatException(g.path(), ModelKeys.SHAPES + " entry '" + e.getKey() + "' is not a list of dimensions");
            }
            long[] shape = dims.stream().mapToLong(d -> ((Number) d).longValue()).toArray();
            if (!g.contains((String) e.getKey()) || numel(shape) != g.get((String) e.getKey()).numel()) {
                throw new FormatException(g.path(), ModelKeys.SHAPES + " entry '" + e.getKey() + "' does not match a stored tensor");
            }
            shapes.put((String) e.getKey(), shape);
        }
        return shapes;
    }
}
