package io.ibllm.io;

import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A checkpoint file seen as named tensors, memory-mapped. Closing unmaps the file, after
 * which its tensors must not be used.
 */
public interface TensorFile extends AutoCloseable {
    Path path();

    /** Format name, e.g. "safetensors", "pytorch-zip", "gguf". */
    String format();

    /** Tensor names in file order. */
    Set<String> names();

    /** The tensor under {@code name}; a FormatException naming the file and key if absent. */
    Tensor get(String name);

    default boolean contains(String name) { return names().contains(name); }

    /** All tensors in file order (views; nothing is copied). */
    Map<String, Tensor> tensors();

    /** Byte offset within the file of the tensor's first element (for inspection); -1 if unknown. */
    default long offsetOf(String name) { return -1; }

    @Override
    void close();
}
