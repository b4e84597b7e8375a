package io.ibllm.io;

import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The allow-list for torch.save pickles. Only these globals resolve: the tensor/parameter
 * rebuild functions, typed storages (as persistent-id tags), OrderedDict, argparse.Namespace
 * (read as a plain map), torch.Size, torch.device and torch dtypes (as strings), set/frozenset.
 * Anything else is refused with an error naming it; no Python callable is ever emulated
 * beyond building plain data.
 */
final class TorchPickle implements Unpickler.Policy {
    private static final Map<String, DType> STORAGES = Map.ofEntries(
            Map.entry("HalfStorage", DType.F16), Map.entry("FloatStorage", DType.F32),
            Map.entry("BFloat16Storage", DType.BF16), Map.entry("DoubleStorage", DType.F64),
            Map.entry("LongStorage", DType.I64), Map.entry("IntStorage", DType.I32),
            Map.entry("ShortStorage", DType.I16), Map.entry("CharStorage", DType.I8),
            Map.entry("ByteStorage", DType.U8), Map.entry("BoolStorage", DType.BOOL));
    private static final Set<String> DTYPES = Set.of("float16", "half", "float32", "float", "float64", "double",
            "bfloat16", "int64", "long", "int32", "int", "int16", "short", "int8", "uint8", "bool");
    private static final Set<String> CALLABLES = Set.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state", "argparse.Namespace",
            "torch.Size", "torch.device", "builtins.set", "builtins.frozenset");

    /** An allowed callable or class, by its dotted name. */
    record Global(String name) {}

    /** A typed storage class (torch.FloatStorage, ...): only meaningful inside a persistent id. */
    record StorageType(String name, DType dtype) {}

    /** A storage: the bytes of one data/&lt;key&gt; entry seen as numel values of dtype. */
    record Storage(String key, DType dtype, long numel, MemorySegment bytes) {}

    /** argparse.Namespace: its attributes as a map. */
    static final class Namespace extends LinkedHashMap<Object, Object> {}

    private final Path file;
    private final Function<String, MemorySegment> entry;
    private final Map<String, Storage> storages = new HashMap<>();

    /** @param entry the bytes of the archive entry data/&lt;key&gt;, or null if absent */
    TorchPickle(Path file, Function<String, MemorySegment> entry) {
        this.file = file;
        this.entry = entry;
    }

    @Override
    public Object global(String module, String name) {
        String dotted = module + "." + name;
        if (module.equals("torch") && STORAGES.containsKey(name)) return new StorageType(dotted, STORAGES.get(name));
        if (module.equals("torch") && DTYPES.contains(name)) return dotted;
        if (CALLABLES.contains(dotted)) return new Global(dotted);
        throw bad("references the forbidden global '" + dotted + "' (only tensors, storages and plain data are"
                + " allowed; nothing was executed)");
    }

    @Override
    public Object call(Object callable, List<Object> args) {
        if (!(callable instanceof Global g)) throw bad("REDUCE on a non-callable " + describe(callable));
        return switch (g.name()) {
            case "torch._utils._rebuild_tensor_v2" -> rebuildTensor(args);
            case "torch._utils._rebuild_parameter", "torch._utils._rebuild_parameter_with_state" -> {
                if (args.size() < 3 || !(args.getFirst() instanceof Tensor t)) throw bad(g.name() + " without a tensor");
                yield t;
            }
            case "torch.Size" -> args.size() == 1 && args.getFirst() instanceof List<?> l ? l : fail(g, args);
            case "torch.device" -> !args.isEmpty() && args.getFirst() instanceof String s
                    ? (args.size() > 1 && args.get(1) != null ? s + ":" + args.get(1) : s) : fail(g, args);
            case "builtins.set", "builtins.frozenset" -> args.isEmpty() ? new LinkedHashSet<>()
                    : args.getFirst() instanceof List<?> l && l.stream().allMatch(Unpickler::isHashable)
                    ? new LinkedHashSet<Object>(l) : fail(g, args);
            default -> instantiate(g, args);
        };
    }

    @Override
    public Object instantiate(Object cls, List<Object> args) {
        if (!(cls instanceof Global g)) throw bad("cannot instantiate " + describe(cls));
        return switch (g.name()) {
            case "collections.OrderedDict" -> orderedDict(g, args);
            case "argparse.Namespace" -> args.isEmpty() ? new Namespace() : fail(g, args);
            default -> throw bad("cannot instantiate " + g.name());
        };
    }

    private Object orderedDict(Global g, List<Object> args) {
        Map<Object, Object> m = new LinkedHashMap<>();
        if (args.isEmpty()) return m;
        if (args.size() != 1 || !(args.getFirst() instanceof List<?> pairs)) return fail(g, args);
        for (Object p : pairs) {
            if (!(p instanceof List<?> kv) || kv.size() != 2 || !Unpickler.isHashable(kv.getFirst())) return fail(g, args);
            m.put(kv.get(0), kv.get(1));
        }
        return m;
    }

    /** Namespace attributes are its data; an OrderedDict's attributes (_metadata) are dropped. */
    @Override
    public Object build(Object target, Object state) {
        if (target instanceof Namespace ns && state instanceof Map<?, ?> m) {
            ns.putAll(m);
            return ns;
        }
        if (target instanceof Map<?, ?> && (state == null || state instanceof Map<?, ?>)) return target;
        throw bad("BUILD (setstate) on " + describe(target) + " refused");
    }

    /** ('storage', torch.XStorage, key, location, numel) → the data/&lt;key&gt; entry, mapped in place. */
    @Override
    public Object persistentLoad(Object pid) {
        if (!(pid instanceof List<?> t) || t.size() != 5 || !"storage".equals(t.get(0))) {
            throw bad("unsupported persistent id " + describe(pid));
        }
        if (!(t.get(1) instanceof StorageType type)) throw bad("persistent id with storage type " + describe(t.get(1)));
        if (!(t.get(2) instanceof String key) || !(t.get(4) instanceof Long numel) || numel < 0) {
            throw bad("malformed storage persistent id " + describe(pid));
        }
        Storage cached = storages.get(key);
        if (cached != null) {
            if (cached.dtype() != type.dtype() || cached.numel() != numel) throw bad("storage '" + key + "' used with two types");
            return cached;
        }
        MemorySegment bytes = entry.apply(key);
        if (bytes == null) throw bad("storage '" + key + "' has no data/" + key + " entry in the archive");
        long need;
        try {
            need = type.dtype().byteSize(numel);
        } catch (ArithmeticException e) {
            throw bad("storage '" + key + "' numel " + numel + " overflows");
        }
        if (need > bytes.byteSize()) {
            throw bad("storage '" + key + "' claims " + numel + " " + type.name() + " values (" + need
                    + " bytes) but its entry holds " + bytes.byteSize() + " bytes");
        }
        Storage s = new Storage(key, type.dtype(), numel, bytes.asSlice(0, need));
        storages.put(key, s);
        return s;
    }

    /** _rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata]). */
    private Tensor rebuildTensor(List<Object> a) {
        if (a.size() < 6 || a.size() > 7 || !(a.get(0) instanceof Storage s) || !(a.get(1) instanceof Long offset)) {
            throw bad("_rebuild_tensor_v2 with unexpected arguments " + describe(a));
        }
        long[] size = longs(a.get(2), "size");
        long[] stride = longs(a.get(3), "stride");
        if (size.length != stride.length) throw bad("tensor of storage '" + s.key() + "' has size and stride of different ranks");
        long extent = 1;
        try {
            for (int i = 0; i < size.length; i++) {
                if (size[i] == 0) extent = 0;
                if (extent != 0) extent = Math.addExact(extent, Math.multiplyExact(size[i] - 1, stride[i]));
            }
            if (extent != 0) extent = Math.addExact(extent, offset);
        } catch (ArithmeticException e) {
            extent = Long.MAX_VALUE;
        }
        if (offset < 0 || extent > s.numel()) {
            throw bad("tensor at offset " + offset + " with size " + java.util.Arrays.toString(size) + " and stride "
                    + java.util.Arrays.toString(stride) + " lies outside storage '" + s.key() + "' (" + s.numel() + " values)");
        }
        long elem = s.dtype().blockBytes();
        MemorySegment view = extent == 0 ? s.bytes().asSlice(0, 0) : s.bytes().asSlice(offset * elem, (extent - offset) * elem);
        return new Tensor(s.dtype(), size, stride, view);
    }

    private long[] longs(Object o, String what) {
        if (!(o instanceof List<?> l)) throw bad("tensor " + what + " is not a tuple");
        long[] r = new long[l.size()];
        for (int i = 0; i < r.length; i++) {
            if (!(l.get(i) instanceof Long v) || v < 0) throw bad("tensor " + what + " " + describe(l) + " is not a tuple of non-negative ints");
            r[i] = v;
        }
        return r;
    }

    private Object fail(Global g, List<Object> args) {
        throw bad(g.name() + " called with unexpected arguments " + describe(args));
    }

    private static String describe(Object o) {
        String s = o == null ? "None" : o instanceof Global g ? g.name() : o instanceof StorageType t ? t.name()
                : o instanceof List<?> l ? "a tuple of " + l.size() : o.getClass().getSimpleName();
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private FormatException bad(String what) {
        return new FormatException(file, "data.pkl " + what);
    }
}
