package io.ibllm.train;

/** The two training stages of ImageBind-LLM (spec §1.2). */
public enum Stage {
    /** Stage 1: trains the bind network, prefix_query and the gates; LLaMA has no LoRA/bias. */
    PRETRAIN,
    /** Stage 2: trains LLaMA's norms, biases and LoRA; bind network, prefix and gates frozen. */
    FINETUNE;

    public boolean hasLoraAndBias() { return this == FINETUNE; }

    /** The reference's get_trainable_params rule for a state-dict key. */
    public boolean trains(String key) {
        if (this == PRETRAIN) {
            return key.startsWith("image_bind_") || key.startsWith("prefix_query.")
                    || (key.startsWith("llama.") && key.contains("gate"));
        }
        return key.startsWith("llama.") && (key.contains("norm") || key.contains("bias") || key.contains("lora"));
    }
}
