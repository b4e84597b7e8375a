package io.ibllm.train;

import io.ibllm.io.TensorMap;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;

/** Named tensors held in memory, seen through the checkpoint interface. */
public final class MemoryTensorFile extends TensorMap {
    private final Path path;

    public MemoryTensorFile(Path path, Map<String, Tensor> tensors) {
        this.path = path;
        this.tensors.putAll(tensors);
    }

    @Override public Path path() { return path; }
    @Override public String format() { return "memory"; }
}
