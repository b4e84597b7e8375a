package io.ibllm.llama;

/**
 * The Alpaca instruction templates ImageBind-LLM was tuned on (spec §8.1, the reference's
 * format_prompt). Nothing follows "### Response:"; the tokenizer then prepends BOS.
 */
public final class PromptTemplate {
    private static final String NO_INPUT = "Below is an instruction that describes a task. "
            + "Write a response that appropriately completes the request.\n\n### Instruction:\n%s\n\n### Response:";
    private static final String WITH_INPUT = "Below is an instruction that describes a task, paired with an input that "
            + "provides further context. Write a response that appropriately completes the request.\n\n"
            + "### Instruction:\n%s\n\n### Input:\n%s\n\n### Response:";

    private PromptTemplate() {}

    /** The Alpaca prompt; a null or empty input selects the no-input form. */
    public static String format(String instruction, String input) {
        if (input == null || input.isEmpty()) return NO_INPUT.formatted(instruction);
        return WITH_INPUT.formatted(instruction, input);
    }
}
