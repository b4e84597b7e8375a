package io.ibllm.cli;

import io.ibllm.api.ModelFiles;
import io.ibllm.llama.LlamaConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The model files of commands that answer (chat; generate's flags are the same): a picocli mixin. */
final class ModelOptions {
    @Option(names = "--llama-dir", required = true, paramLabel = "DIR",
            description = "Folder holding params.json and consolidated.*.pth (or its parent, if that has exactly one such folder).")
    Path llamaDir;

    @Option(names = "--tokenizer", required = true, paramLabel = "FILE", description = "LLaMA tokenizer.model.")
    Path tokenizer;

    @Option(names = "--adapter", required = true, paramLabel = "FILE", description = "ImageBind-LLM checkpoint (7B.pth or 7B-beta.pth).")
    Path adapter;

    @Option(names = "--imagebind", paramLabel = "FILE", description = "ImageBind checkpoint (imagebind_w3D.pth); needed for media inputs.")
    Path imagebind;

    @Option(names = "--imagebind-config", paramLabel = "FILE", description = "ImageBind model config JSON (default: the official huge model).")
    Path imagebindConfig;

    @Option(names = "--cache", paramLabel = "FILE", description = "Visual cache: FAISS flat index or [N, D] .npy of image embeddings.")
    Path cache;

    @Option(names = "--context", defaultValue = "512", description = "Context length in tokens, prompt + answer (default ${DEFAULT-VALUE}, at most 2048).")
    int context;

    ModelFiles files() {
        if (context < 1 || context > LlamaConfig.MAX_CONTEXT) throw new IllegalArgumentException("--context must be 1.." + LlamaConfig.MAX_CONTEXT);
        return ModelFiles.of(llamaDir, tokenizer, adapter).withImageBind(imagebind, imagebindConfig).withCache(cache).withContextLength(context);
    }
}
