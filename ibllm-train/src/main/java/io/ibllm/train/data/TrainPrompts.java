package io.ibllm.train.data;

import io.ibllm.llama.PromptTemplate;

/**
 * Prompts of the training data (spec §1.2, §8.1). With {@code referenceQuirks} the reference's
 * bugs are reproduced: the Alpaca instruction rendered as a Python 1-tuple and the literal
 * {@code <image>} marker of LLaVA items kept. Without them prompts are clean.
 */
public final class TrainPrompts {
    public static final String CAPTION_INSTRUCTION = "Generate caption of this image";

    private TrainPrompts() {}

    /** The Alpaca template; an empty or null input selects the no-input form. */
    public static String format(String instruction, String input) {
        return PromptTemplate.format(instruction, input);
    }

    /** An Alpaca item's instruction as the prompt shows it. */
    public static String alpacaInstruction(String instruction, boolean referenceQuirks) {
        return referenceQuirks ? PyRepr.tuple1(instruction) : instruction;
    }

    /** A LLaVA item's first human turn as the prompt shows it. */
    public static String llavaInstruction(String value, boolean referenceQuirks) {
        if (referenceQuirks) return value;
        return value.replace("<image>\n", "").replace("\n<image>", "").replace("<image>", "").strip();
    }
}
