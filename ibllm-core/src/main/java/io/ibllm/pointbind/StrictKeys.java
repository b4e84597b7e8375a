package io.ibllm.pointbind;

import io.ibllm.io.FormatException;
import io.ibllm.io.TensorFile;
import io.ibllm.tensor.Tensor;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict loading of one module's tensors (as torch's load_state_dict(strict=True) for the keys
 * under some prefixes): every key asked for must exist with the expected shape, and at the end
 * every key under the module's prefixes must have been asked for.
 */
final class StrictKeys {
    private final TensorFile file;
    private final Set<String> used = new LinkedHashSet<>();

    StrictKeys(TensorFile file) { this.file = file; }

    TensorFile file() { return file; }

    /** Marks a size in {@link #get}'s shape that the tensor decides (widths read off the checkpoint). */
    static final long ANY = -1;

    /** The tensor {@code name}, which must have {@code shape} (an {@link #ANY} entry matches any size). */
    Tensor get(String name, long... shape) {
        Tensor t = raw(name);
        boolean ok = t.rank() == shape.length;
        for (int i = 0; ok && i < shape.length; i++) ok = shape[i] == ANY || shape[i] == t.dim(i);
        if (!ok) {
            StringBuilder want = new StringBuilder("[");
            for (int i = 0; i < shape.length; i++) want.append(i > 0 ? ", " : "").append(shape[i] == ANY ? "?" : shape[i]);
            throw new FormatException(file.path(), "tensor " + name + " has shape " + t.shapeString()
                    + ", expected " + want + "]");
        }
        return t;
    }

    /** The tensor {@code name} with whatever shape it has (callers check it or infer from it). */
    Tensor raw(String name) {
        if (!file.contains(name)) throw new FormatException(file.path(), "missing tensor " + name);
        used.add(name);
        return file.get(name);
    }

    /** Marks a key as known without reading it (bookkeeping buffers such as num_batches_tracked). */
    void skip(String name) {
        if (!file.contains(name)) throw new FormatException(file.path(), "missing tensor " + name);
        used.add(name);
    }

    /** {@code t} seen as a [rows, cols] matrix (a 1x1 conv weight [out, in, 1] is one), copied only if strided. */
    static Tensor matrix(Tensor t, long rows, long cols) {
        return (t.isContiguous() ? t : t.toF32()).reshape(rows, cols);
    }

    /** Fails on any key under one of {@code prefixes} that no get/raw/skip asked for. */
    void requireAllUsed(String... prefixes) {
        Set<String> extra = new TreeSet<>();
        for (String n : file.names()) {
            for (String p : prefixes) if (n.startsWith(p) && !used.contains(n)) extra.add(n);
        }
        if (!extra.isEmpty()) {
            throw new FormatException(file.path(), "unexpected tensor " + extra.iterator().next()
                    + (extra.size() > 1 ? " (and " + (extra.size() - 1) + " more)" : "") + " for this model configuration");
        }
    }
}
