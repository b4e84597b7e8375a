package io.ibllm.llama;

import io.ibllm.bind.BindNetwork;
import io.ibllm.io.TensorFile;
import java.util.List;

/**
 * The loaded ImageBind-LLM language side (the reference's LLaMA_adapter minus ImageBind): the
 * bind network and the adapted LLaMA. Closing unmaps the checkpoint files the weights live in.
 */
public final class LlamaAdapter implements AutoCloseable {
    private final LlamaModel llama;
    private final BindNetwork bindNetwork;
    private final List<TensorFile> files;

    LlamaAdapter(LlamaModel llama, BindNetwork bindNetwork, List<TensorFile> files) {
        this.llama = llama;
        this.bindNetwork = bindNetwork;
        this.files = List.copyOf(files);
    }

    public LlamaModel llama() { return llama; }

    public BindNetwork bindNetwork() { return bindNetwork; }

    /** The injection for a request whose (mixed, optionally cache-blended) embedding is {@code bindInput}. */
    public AdapterPrompt adapterPrompt(float[] bindInput) {
        return llama.adapterPrompt(bindNetwork.forward(bindInput, 1));
    }

    @Override
    public void close() {
        for (TensorFile f : files) f.close();
    }
}
