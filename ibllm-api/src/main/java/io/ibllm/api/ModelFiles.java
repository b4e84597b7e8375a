package io.ibllm.api;

import java.nio.file.Path;

/**
 * The original ImageBind-LLM files a model is loaded from: the LLaMA folder (params.json +
 * consolidated.*.pth), its tokenizer.model, the ImageBind-LLM adapter checkpoint, and optionally
 * the ImageBind checkpoint (needed to embed media; without it only ready embeddings and bind
 * inputs work), its model config (default: the official huge geometry) and a visual cache
 * (FAISS flat index or [N, D] .npy). {@code contextLength} bounds prompt + answer (default 512).
 */
public record ModelFiles(Path llamaDir, Path tokenizer, Path adapter, Path imagebind, Path imagebindConfig, Path cache,
                         int contextLength) {
    public static final int DEFAULT_CONTEXT = 512;

    public ModelFiles {
        if (llamaDir == null || tokenizer == null || adapter == null) {
            throw new IllegalArgumentException("the LLaMA folder, its tokenizer and the adapter checkpoint are required");
        }
        if (contextLength < 1) throw new IllegalArgumentException("context length must be positive, got " + contextLength);
    }

    /** The language side only; add ImageBind and a cache with the withers. */
    public static ModelFiles of(Path llamaDir, Path tokenizer, Path adapter) {
        return new ModelFiles(llamaDir, tokenizer, adapter, null, null, null, DEFAULT_CONTEXT);
    }

    public ModelFiles withImageBind(Path checkpoint, Path config) {
        return new ModelFiles(llamaDir, tokenizer, adapter, checkpoint, config, cache, contextLength);
    }

    public ModelFiles withCache(Path file) {
        return new ModelFiles(llamaDir, tokenizer, adapter, imagebind, imagebindConfig, file, contextLength);
    }

    public ModelFiles withContextLength(int tokens) {
        return new ModelFiles(llamaDir, tokenizer, adapter, imagebind, imagebindConfig, cache, tokens);
    }
}
