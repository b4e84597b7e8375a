package io.ibllm.cli;

import io.ibllm.api.ModelPaths;
import io.ibllm.llama.LlamaConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The model files of the commands that answer (generate, chat): a picocli mixin. */
final class ModelOptions {
    @Option(names = "--model", paramLabel = "FILE.gguf", description = "The whole model in one GGUF (ibllm convert), instead of the files below.")
    Path model;

    @Option(names = "--llama-dir", paramLabel = "DIR",
            description = "Folder holding params.json and consolidated.*.pth (or its parent, if that has exactly one such folder).")
    Path llamaDir;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "LLaMA tokenizer.model.")
    Path tokenizer;

    @Option(names = "--adapter", paramLabel = "FILE", description = "ImageBind-LLM checkpoint (7B.pth or 7B-beta.pth).")
    Path adapter;

    @Option(names = "--imagebind", paramLabel = "FILE", description = "ImageBind checkpoint (imagebind_w3D.pth); needed for media inputs.")
    Path imagebind;

    @Option(names = "--imagebind-config", paramLabel = "FILE", description = "ImageBind model config JSON (default: the official huge model).")
    Path imagebindConfig;

    @Option(names = "--cache", paramLabel = "FILE", description = "Visual cache: FAISS flat index or [N, D] .npy of image embeddings.")
    Path cache;

    @Option(names = "--context", defaultValue = "512", description = "Context length in tokens, prompt + answer (default ${DEFAULT-VALUE}, at most 2048).")
    int context;

    ModelPaths files() {
        if (context < 1 || context > LlamaConfig.MAX_CONTEXT) throw new IllegalArgumentException("--context must be 1.." + LlamaConfig.MAX_CONTEXT);
        if (model != null) {
            if (llamaDir != null || tokenizer != null || adapter != null || imagebind != null || imagebindConfig != null) {
                throw new IllegalArgumentException("--model holds the whole model: do not combine it with --llama-dir, --tokenizer, --adapter or --imagebind");
            }
            return ModelPaths.gguf(model).withCache(cache).withContextLength(context);
        }
        if (llamaDir == null) throw new IllegalArgumentException("missing --llama-dir (or give --model FILE.gguf)");
        if (tokenizer == null) throw new IllegalArgumentException("missing --tokenizer (or give --model FILE.gguf)");
        if (adapter == null) throw new IllegalArgumentException("missing --adapter (or give --model FILE.gguf)");
        return ModelPaths.of(llamaDir, tokenizer, adapter).withImageBind(imagebind, imagebindConfig).withCache(cache).withContextLength(context);
    }
}
