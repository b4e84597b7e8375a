package io.ibllm.pointbind;

import io.ibllm.imagebind.Weights;
import io.ibllm.io.FormatException;
import io.ibllm.io.TensorFile;
import io.ibllm.tensor.Tensor;
import java.util.List;

/**
 * The point tower's view of ImageBind's strict loader ({@link Weights}): shapes may leave
 * sizes to the checkpoint ({@link #ANY}), and the point keys can be checked for leftovers on
 * their own when the encoder is loaded without the six towers.
 */
final class StrictKeys {
    /** Marks a size in {@link #get}'s shape that the tensor decides (widths read off the checkpoint). */
    static final long ANY = -1;

    private final Weights weights;

    StrictKeys(Weights weights) { this.weights = weights; }

    TensorFile file() { return weights.file(); }

    /** The tensor {@code name}, which must have {@code shape} (an {@link #ANY} entry matches any size). */
    Tensor get(String name, long... shape) {
        Tensor t = weights.takeRank(name, shape.length);
        boolean ok = true;
        for (int i = 0; ok && i < shape.length; i++) ok = shape[i] == ANY || shape[i] == t.dim(i);
        if (!ok) {
            StringBuilder want = new StringBuilder("[");
            for (int i = 0; i < shape.length; i++) want.append(i > 0 ? ", " : "").append(shape[i] == ANY ? "?" : shape[i]);
            throw weights.error("tensor " + name + " has shape " + t.shapeString() + ", expected " + want + "]");
        }
        return t;
    }

    /** Marks a key as known without reading it (bookkeeping buffers such as num_batches_tracked). */
    void skip(String name) { weights.skip(name); }

    /** {@code t} seen as a [rows, cols] matrix (a 1x1 conv weight [out, in, 1] is one), copied only if strided. */
    static Tensor matrix(Tensor t, long rows, long cols) {
        return (t.isContiguous() ? t : t.toF32()).reshape(rows, cols);
    }

    /** Fails on any key under one of {@code prefixes} that nobody took. */
    void requireAllUsed(List<String> prefixes) {
        List<String> extra = weights.unused(List.of()).stream().filter(k -> prefixes.stream().anyMatch(k::startsWith)).toList();
        if (!extra.isEmpty()) {
            throw new FormatException(file().path(), "unexpected tensor " + extra.get(0)
                    + (extra.size() > 1 ? " (and " + (extra.size() - 1) + " more)" : "") + " for this model configuration");
        }
    }
}
