package io.ibllm.imagebind;

import io.ibllm.io.FormatException;
import io.ibllm.io.TensorFile;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** An editable in-memory TensorFile (views of a real one) to test strict loading. */
final class MapTensorFile implements TensorFile {
    final Map<String, Tensor> tensors;
    private final Path path;

    MapTensorFile(TensorFile base) {
        this.tensors = new LinkedHashMap<>(base.tensors());
        this.path = base.path();
    }

    @Override public Path path() { return path; }
    @Override public String format() { return "test"; }
    @Override public Set<String> names() { return Collections.unmodifiableSet(tensors.keySet()); }
    @Override public Map<String, Tensor> tensors() { return Collections.unmodifiableMap(tensors); }

    @Override
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new FormatException(path, "no tensor " + name);
        return t;
    }

    @Override public void close() {}
}
