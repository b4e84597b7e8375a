package io.ibllm.io;

import io.ibllm.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A PyTorch checkpoint in the torch.save zip format (.pth/.pt, torch >= 1.6): a stored zip
 * whose entries live under one top-level folder of any name ({@code x/data.pkl},
 * {@code x/data/<key>}, {@code x/version}). data.pkl is decoded by a pickle VM with an
 * allow-list ({@link TorchPickle}); storages are mapped in place, so tensors are views into
 * the file.
 *
 * <p>{@link #root()} is the whole decoded object (Map, List, String, Long, Double, Boolean,
 * null, Tensor; argparse.Namespace becomes a Map). The named tensors are those of one
 * sub-dict, flattened with dotted keys (nested dict keys and list indices joined by '.'):
 * by default the 'model' entry when the root is a dict holding a dict under 'model' (the
 * ImageBind-LLM release and training checkpoint layout), otherwise the root itself. A root
 * that is a single tensor is named "tensor".
 */
public final class TorchCheckpoint extends MappedTensorMap {
    private static final int MAX_DEPTH = 64;

    private final Object root;
    private final Set<String> globals;

    private TorchCheckpoint(Mapped file, Object root, Set<String> globals) {
        super(file);
        this.root = root;
        this.globals = globals;
    }

    /** Opens the checkpoint; names are relative to 'model' when present (see class doc). */
    public static TorchCheckpoint open(Path path) {
        return open(path, (List<String>) null);
    }

    /**
     * Opens the checkpoint with names relative to the sub-dict reached by {@code keys} from the
     * root (an empty list: the root itself; null: the default choice of the class doc).
     */
    public static TorchCheckpoint open(Path path, List<String> keys) {
        Mapped m = Mapped.open(path);
        try {
            TorchCheckpoint c = decode(m);
            c.flatten(keys == null ? c.defaultDict() : c.select(keys));
            return c;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private static TorchCheckpoint decode(Mapped m) {
        Path p = m.path();
        if (m.size() >= 2 && Byte.toUnsignedInt(m.segment().get(ValueLayout.JAVA_BYTE, 0)) == 0x80) {
            throw new FormatException(p, "legacy (non-zip) torch.save format is not supported; re-save it with"
                    + " torch >= 1.6: torch.save(torch.load(f), 'new.pth')");
        }
        Map<String, ZipDirectory.Entry> entries = ZipDirectory.read(m).entries();
        String prefix = archivePrefix(p, entries);
        ZipDirectory.Entry byteorder = entries.get(prefix + "byteorder");
        if (byteorder != null) {
            String order = new String(m.slice(byteorder.offset(), byteorder.size(), "byteorder").toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.US_ASCII).strip();
            if (!order.equals("little")) throw new FormatException(p, "storages are " + order + "-endian; only little-endian is supported");
        }
        ZipDirectory.Entry pkl = entries.get(prefix + "data.pkl");
        TorchPickle policy = new TorchPickle(p, key -> {
            ZipDirectory.Entry e = entries.get(prefix + "data/" + key);
            return e == null ? null : m.slice(e.offset(), e.size(), "storage " + key);
        });
        Unpickler vm = new Unpickler(p, m.slice(pkl.offset(), pkl.size(), "data.pkl"), policy);
        Object root = vm.load();
        return new TorchCheckpoint(m, root, vm.globals());
    }

    /** "x/" for the one top-level folder x holding data.pkl. */
    private static String archivePrefix(Path p, Map<String, ZipDirectory.Entry> entries) {
        String prefix = null;
        for (String name : entries.keySet()) {
            int slash = name.indexOf('/');
            if (slash > 0 && name.substring(slash + 1).equals("data.pkl")) {
                if (prefix != null) throw new FormatException(p, "zip holds more than one data.pkl");
                prefix = name.substring(0, slash + 1);
            }
        }
        if (prefix == null) throw new FormatException(p, "zip archive has no <folder>/data.pkl: not a torch.save checkpoint");
        return prefix;
    }

    private Object defaultDict() {
        if (root instanceof Map<?, ?> m && m.get("model") instanceof Map<?, ?> model) return model;
        return root;
    }

    private Object select(List<String> keys) {
        Object o = root;
        for (String k : keys) {
            if (!(o instanceof Map<?, ?> m) || !m.containsKey(k)) {
                throw new FormatException(file.path(), "checkpoint has no entry '" + String.join(".", keys) + "'");
            }
            o = m.get(k);
        }
        return o;
    }

    private void flatten(Object dict) {
        if (dict instanceof Tensor t) tensors.put("tensor", t);
        else walk(dict, "", 0, Collections.newSetFromMap(new IdentityHashMap<>()));
    }

    private void walk(Object o, String prefix, int depth, Set<Object> seen) {
        if (depth > MAX_DEPTH) throw new FormatException(file.path(), "containers nested deeper than " + MAX_DEPTH);
        if (o instanceof Tensor t) {
            tensors.put(prefix, t);
            return;
        }
        if (!(o instanceof Map<?, ?>) && !(o instanceof List<?>)) return;
        if (!seen.add(o)) return; // each container once: no cycles, no blow-up on shared ones
        String dot = prefix.isEmpty() ? "" : prefix + ".";
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) walk(e.getValue(), dot + e.getKey(), depth + 1, seen);
        } else {
            List<?> l = (List<?>) o;
            for (int i = 0; i < l.size(); i++) walk(l.get(i), dot + i, depth + 1, seen);
        }
    }

    /** The whole decoded pickle: Map/List/primitives/Tensor. */
    public Object root() { return root; }

    /** The globals data.pkl references ("module.name"), in first-use order. */
    public Set<String> globals() { return globals; }

    @Override public String format() { return "pytorch-zip"; }
}
