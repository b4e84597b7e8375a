package io.ibllm.imagebind;

import io.ibllm.io.FormatException;
import io.ibllm.io.TensorFile;
import io.ibllm.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Strict access to a checkpoint's tensors: every tensor a model takes is shape-checked and
 * marked used, so that after loading the keys nobody took can be reported as unexpected
 * (PyTorch's {@code load_state_dict(strict=True)}).
 */
public final class Weights {
    private final TensorFile file;
    private final Set<String> used = new HashSet<>();

    public Weights(TensorFile file) { this.file = file; }

    public TensorFile file() { return file; }

    public boolean has(String key) { return file.contains(key); }

    /** The tensor under {@code key}, which must exist with exactly {@code shape}. */
    public Tensor take(String key, long... shape) {
        Tensor t = takeAnyShape(key);
        if (!Arrays.equals(t.shape(), shape)) {
            throw new FormatException(file.path(), "tensor " + key + " has shape " + t.shapeString() + ", expected "
                    + Arrays.toString(shape));
        }
        return t;
    }

    /** The tensor under {@code key} with the given rank; the caller checks the sizes it depends on. */
    public Tensor takeRank(String key, int rank) {
        Tensor t = takeAnyShape(key);
        if (t.rank() != rank) {
            throw new FormatException(file.path(), "tensor " + key + " has shape " + t.shapeString() + ", expected rank " + rank);
        }
        return t;
    }

    private Tensor takeAnyShape(String key) {
        if (!file.contains(key)) throw new FormatException(file.path(), "missing tensor " + key);
        used.add(key);
        Tensor t = file.get(key);
        if (!t.dtype().isFloating() && !t.dtype().isQuantized()) {
            throw new FormatException(file.path(), "tensor " + key + " has dtype " + t.dtype() + ", expected a float type");
        }
        return t;
    }

    /**
     * Marks a bookkeeping buffer the model does not compute with as expected (BatchNorm's int64
     * {@code num_batches_tracked} in the point tower); it must exist, any dtype.
     */
    public void skip(String key) {
        if (!file.contains(key)) throw new FormatException(file.path(), "missing tensor " + key);
        used.add(key);
    }

    /** Shape of {@code key} without taking it (to size the strict takes); missing key is an error. */
    public long[] peekShape(String key) {
        if (!file.contains(key)) throw new FormatException(file.path(), "missing tensor " + key);
        return file.get(key).shape();
    }

    /** Heap copy of a small tensor (norm weights, biases, cls tokens, position tables). */
    public float[] vector(String key, long... shape) { return take(key, shape).toFloatArray(); }

    /** Number of consecutive {@code prefix<i>.} groups present, e.g. blocks.0., blocks.1., ... */
    public int countIndexed(String prefix) {
        int n = 0;
        while (true) {
            String p = prefix + n + ".";
            boolean any = false;
            for (String k : file.names()) {
                if (k.startsWith(p)) {
                    any = true;
                    break;
                }
            }
            if (!any) return n;
            n++;
        }
    }

    /** Keys nobody took, in file order, excluding those starting with one of {@code allowedPrefixes}. */
    public List<String> unused(List<String> allowedPrefixes) {
        List<String> out = new ArrayList<>();
        for (String k : file.names()) {
            if (used.contains(k)) continue;
            if (allowedPrefixes.stream().anyMatch(k::startsWith)) continue;
            out.add(k);
        }
        return out;
    }

    public FormatException error(String problem) { return new FormatException(file.path(), problem); }
}
