package io.ibllm.train.data;

import java.nio.file.Path;

/**
 * One training example: the instruction and optional input that make the prompt, the answer,
 * and the image (null for text-only items). {@code zeroImage} marks the reference quirk of
 * feeding an all-zero image to text-only items.
 */
public record Example(String instruction, String input, String answer, Path image, boolean zeroImage) {
    public boolean hasVisual() { return image != null || zeroImage; }
}
