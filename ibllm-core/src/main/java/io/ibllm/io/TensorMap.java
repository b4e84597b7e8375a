package io.ibllm.io;

import io.ibllm.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A {@link TensorFile} whose tensors are an ordered name → tensor map filled by the subclass
 * (file readers, views, in-memory models); lookups name the file and key when a tensor is absent.
 */
public abstract class TensorMap implements TensorFile {
    protected final Map<String, Tensor> tensors = new LinkedHashMap<>();

    @Override public Set<String> names() { return Collections.unmodifiableSet(tensors.keySet()); }

    @Override public Map<String, Tensor> tensors() { return Collections.unmodifiableMap(tensors); }

    @Override
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new FormatException(path(), "no tensor named '" + name + "'");
        return t;
    }

    @Override
    public void close() {}
}
