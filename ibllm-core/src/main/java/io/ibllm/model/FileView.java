package io.ibllm.model;

import io.ibllm.io.TensorFile;
import io.ibllm.io.TensorMap;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * The tensors of one file under a name prefix, with the prefix removed and original shapes
 * restored: one source checkpoint as seen inside a converted GGUF (or a whole original file
 * with an empty prefix). Closing a view does nothing; {@link ModelFiles} owns the files.
 */
final class FileView extends TensorMap { // close() does nothing: ModelFiles owns the file
    private final TensorFile file;
    private final String prefix;

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
}
