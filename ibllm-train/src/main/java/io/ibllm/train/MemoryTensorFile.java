package io.ibllm.train;

import io.ibllm.io.FormatException;
import io.ibllm.io.TensorFile;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Named tensors held in memory, seen through the checkpoint interface. */
public final class MemoryTensorFile implements TensorFile {
    private final Path path;
    private final Map<String, Tensor> tensors;

    public MemoryTensorFile(Path path, Map<String, Tensor> tensors) {
        this.path = path;
        this.tensors = new LinkedHashMap<>(tensors);
    }

    @Override public Path path() { return path; }
    @Override public String format() { return "memory"; }
    @Override public Set<String> names() { return Collections.unmodifiableSet(tensors.keySet()); }
    @Override public Map<String, Tensor> tensors() { return Collections.unmodifiableMap(tensors); }

    @Override
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new FormatException(path, "no tensor named '" + name + "'");
        return t;
    }

    @Override public void close() {}
}
