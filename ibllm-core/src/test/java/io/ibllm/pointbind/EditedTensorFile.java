package io.ibllm.pointbind;

import io.ibllm.io.FormatException;
import io.ibllm.io.TensorFile;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** A checkpoint with keys removed, replaced or added, for testing strict loading. */
final class EditedTensorFile implements TensorFile {
    private final TensorFile base;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    EditedTensorFile(TensorFile base) {
        this.base = base;
        tensors.putAll(base.tensors());
    }

    EditedTensorFile remove(Predicate<String> which) {
        tensors.keySet().removeIf(which);
        return this;
    }

    EditedTensorFile put(String name, Tensor t) {
        tensors.put(name, t);
        return this;
    }

    @Override public Path path() { return base.path(); }
    @Override public String format() { return base.format(); }
    @Override public Set<String> names() { return Collections.unmodifiableSet(tensors.keySet()); }
    @Override public Map<String, Tensor> tensors() { return Collections.unmodifiableMap(tensors); }
    @Override public void close() {}

    @Override
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new FormatException(base.path(), "no tensor " + name);
        return t;
    }
}
