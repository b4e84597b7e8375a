package io.ibllm.media;

import io.ibllm.tensor.Tensor;
import java.nio.file.Path;

/**
 * File to encoder input: one implementation per modality. The tensor has no batch dimension
 * (callers stack files into [B, ...]). Bad input is a {@link io.ibllm.io.FormatException}
 * whose one-line message names the file and the problem.
 */
public interface MediaLoader {
    Tensor load(Path file);
}
