package io.ibllm.model;

import io.ibllm.io.FormatException;
import io.ibllm.io.TensorFile;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The tensors of one file under a name prefix, with the prefix removed and original shapes
 * restored: one source checkpoint as seen inside a converted GGUF (or a whole original file
 * with an empty prefix). Closing a view does nothing; {@link ModelFiles} owns the files.
 */
final class FileView implements TensorFile {
    private final TensorFile file;
    private final String prefix;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();

    FileView(TensorFile file, String prefix, Map<String, long[]> originalShapes) {
        this.file = file;
        this.prefix = prefix;
        for (Map.Entry<String, Tensor> e : file.tensors().entrySet()) {
            if (!e.getKey().startsWith(prefix)) continue;
            long[] shape = originalShapes.get(e.getKey());
            tensors.put(e.getKey().substring(prefix.length()), shape == null ? e.getValue() : e.getValue().reshape(shape));
        }
    }

    @Override public Path path() { return file.path(); }
    @Override public String format() { return file.format(); }
    @Override public Set<String> names() { return Collections.unmodifiableSet(tensors.keySet()); }
    @Override public Map<String, Tensor> tensors() { return Collections.unmodifiableMap(tensors); }

    @Override
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new FormatException(file.path(), "no tensor named '" + prefix + name + "'");
        return t;
    }

    @Override
    public void close() {
        // owned by ModelFiles
    }
}
