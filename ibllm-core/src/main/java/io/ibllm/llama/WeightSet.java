package io.ibllm.llama;

import io.ibllm.io.FormatException;
import io.ibllm.io.TensorFile;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The named tensors of several checkpoint files seen as one state dict, later files overriding
 * earlier ones (the reference loads the base LLaMA, then the adapter over it). Loading is
 * strict, unlike the reference: every key the model asks for must exist with the right shape,
 * and every key in the files must be used; all problems are reported together in one line.
 */
final class WeightSet {
    private record Entry(Tensor tensor, Path file) {}

    private static final int LIST_LIMIT = 8;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<Path> files = new ArrayList<>();
    private final Set<String> used = new HashSet<>();
    private final List<String> missing = new ArrayList<>();
    private final List<String> wrongShape = new ArrayList<>();

    /** Adds every tensor of {@code f} under {@code prefix + name}; position-table buffers (rope.freqs) are skipped. */
    void add(TensorFile f, String prefix) {
        files.add(f.path());
        for (Map.Entry<String, Tensor> e : f.tensors().entrySet()) {
            String name = e.getKey();
            if (name.equals("rope.freqs") || name.endsWith(".rope.freqs")) continue;
            entries.put(prefix + name, new Entry(e.getValue(), f.path()));
        }
    }

    boolean has(String key) { return entries.containsKey(key); }

    /** Shape of {@code key} if present, else null. */
    long[] shape(String key) {
        Entry e = entries.get(key);
        return e == null ? null : e.tensor().shape();
    }

    /** The tensor under {@code key} if it has {@code shape}; otherwise records the problem and returns null. */
    Tensor take(String key, long... shape) {
        Entry e = entries.get(key);
        used.add(key);
        if (e == null) {
            missing.add(key + " " + Arrays.toString(shape));
            return null;
        }
        if (!Arrays.equals(e.tensor().shape(), shape)) {
            wrongShape.add(key + " is " + e.tensor().shapeString() + " in " + e.file().getFileName()
                    + ", expected " + Arrays.toString(shape));
            return null;
        }
        if (!e.tensor().dtype().isFloating() && !e.tensor().dtype().isQuantized()) {
            wrongShape.add(key + " has dtype " + e.tensor().dtype() + " in " + e.file().getFileName() + ", expected a float type");
            return null;
        }
        return e.tensor();
    }

    /** Small vectors (norms) copied to the heap; null when the key was bad. */
    float[] takeFloats(String key, long... shape) {
        Tensor t = take(key, shape);
        return t == null ? null : t.toFloatArray();
    }

    /** Throws one FormatException listing every missing, mis-shaped and unexpected key, if any. */
    void finish() {
        List<String> unexpected = new ArrayList<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (!used.contains(e.getKey())) {
                unexpected.add(e.getKey() + " " + e.getValue().tensor().shapeString() + " in " + e.getValue().file().getFileName());
            }
        }
        if (missing.isEmpty() && wrongShape.isEmpty() && unexpected.isEmpty()) return;
        StringBuilder sb = new StringBuilder("checkpoint does not match the model (files: ");
        sb.append(String.join(", ", files.stream().map(Path::toString).toList())).append(")");
        appendList(sb, "missing keys", missing);
        appendList(sb, "wrong shapes", wrongShape);
        appendList(sb, "unexpected keys", unexpected);
        throw new FormatException(sb.toString());
    }

    private static void appendList(StringBuilder sb, String what, List<String> items) {
        if (items.isEmpty()) return;
        sb.append("; ").append(items.size()).append(' ').append(what).append(": ");
        sb.append(String.join(", ", items.subList(0, Math.min(LIST_LIMIT, items.size()))));
        if (items.size() > LIST_LIMIT) sb.append(", ... (").append(items.size() - LIST_LIMIT).append(" more)");
    }
}
