package io.ibllm.api;

import io.ibllm.model.ModelFiles;
import java.nio.file.Path;

/**
 * Where a model is loaded from: either one GGUF written by {@code ibllm convert} ({@link #gguf}),
 * or the original ImageBind-LLM files ({@link #of}): the LLaMA folder (params.json +
 * consolidated.*.pth), its tokenizer.model and the adapter checkpoint, plus optionally the
 * ImageBind checkpoint (needed to embed media; without it only ready embeddings and bind inputs
 * work) and its model config (default: the official huge geometry). Either way a visual cache
 * (FAISS flat index or [N, D] .npy) may be added; a GGUF's recorded cache is used otherwise.
 * {@code contextLength} bounds prompt + answer (default 512); {@code recordedCache} false ignores
 * the cache a GGUF records (it is then not opened, and may be missing).
 */
public record ModelPaths(Path gguf, Path llamaDir, Path tokenizer, Path adapter, Path imagebind, Path imagebindConfig, Path cache,
                         int contextLength, boolean recordedCache) {
    public static final int DEFAULT_CONTEXT = 512;

    public ModelPaths {
        boolean originals = llamaDir != null || tokenizer != null || adapter != null || imagebind != null || imagebindConfig != null;
        if (gguf != null && originals) throw new IllegalArgumentException("a GGUF model holds the whole model: do not add the original files");
        if (gguf == null && (llamaDir == null || tokenizer == null || adapter == null)) {
            throw new IllegalArgumentException("the LLaMA folder, its tokenizer and the adapter checkpoint are required (or one GGUF model)");
        }
        if (contextLength < 1) throw new IllegalArgumentException("context length must be positive, got " + contextLength);
    }

    /** The language side of the original files; add ImageBind and a cache with the withers. */
    public static ModelPaths of(Path llamaDir, Path tokenizer, Path adapter) {
        return new ModelPaths(null, llamaDir, tokenizer, adapter, null, null, null, DEFAULT_CONTEXT, true);
    }

    /** One GGUF from {@code ibllm convert} (LLaMA, adapter, ImageBind, tokenizers, config). */
    public static ModelPaths gguf(Path model) {
        return new ModelPaths(model, null, null, null, null, null, null, DEFAULT_CONTEXT, true);
    }

    public ModelPaths withImageBind(Path checkpoint, Path config) {
        return new ModelPaths(gguf, llamaDir, tokenizer, adapter, checkpoint, config, cache, contextLength, recordedCache);
    }

    public ModelPaths withCache(Path file) {
        return new ModelPaths(gguf, llamaDir, tokenizer, adapter, imagebind, imagebindConfig, file, contextLength, recordedCache);
    }

    public ModelPaths withContextLength(int tokens) {
        return new ModelPaths(gguf, llamaDir, tokenizer, adapter, imagebind, imagebindConfig, cache, tokens, recordedCache);
    }

    /** Ignores the cache a GGUF records (for {@code --no-cache}: the file need not exist). */
    public ModelPaths withoutRecordedCache() {
        return new ModelPaths(gguf, llamaDir, tokenizer, adapter, imagebind, imagebindConfig, cache, contextLength, false);
    }

    /** The files opened (mapped): a GGUF or the originals. */
    ModelFiles open() {
        return gguf != null ? ModelFiles.gguf(gguf)
                : ModelFiles.original(new ModelFiles.Originals(llamaDir, tokenizer, adapter, imagebind, imagebindConfig));
    }

    /** Whether ImageBind is to be loaded: always from a GGUF, from the originals when its checkpoint is given. */
    boolean hasImageBind() { return gguf != null || imagebind != null; }
}
