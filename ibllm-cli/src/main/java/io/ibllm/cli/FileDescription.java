package io.ibllm.cli;

import io.ibllm.io.Checkpoints;
import io.ibllm.io.FaissIndex;
import io.ibllm.io.Gguf;
import io.ibllm.io.GgufValue;
import io.ibllm.io.Npy;
import io.ibllm.io.Safetensors;
import io.ibllm.io.TensorFile;
import io.ibllm.io.TorchCheckpoint;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What `ibllm inspect` reports about one file, as a JSON-ready map. */
final class FileDescription {
    /** Arrays longer than this (tokenizer vocabularies) are shown by count and first items. */
    static final int ARRAY_HEAD = 16;

    private FileDescription() {}

    static Map<String, Object> describe(Path f) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("file", f.toString());
        Checkpoints.Kind kind = Checkpoints.sniff(f);
        if (kind == Checkpoints.Kind.NPY) {
            Npy.Info npy = Npy.info(f);
            info.put("format", "npy");
            info.put("version", npy.version());
            info.put("fortran_order", npy.fortranOrder());
            info.put("tensors", List.of(row("array", npy.dtype().name(), npy.shape(), npy.dataOffset())));
            return info;
        }
        // a pickle is shown whole (model, optimizer state, ...), not just its 'model' dict
        try (TensorFile tf = kind == Checkpoints.Kind.PYTORCH_ZIP ? TorchCheckpoint.open(f, List.of()) : Checkpoints.open(f)) {
            info.put("format", tf.format());
            switch (tf) {
                case TorchCheckpoint tc -> info.put("globals", List.copyOf(tc.globals()));
                case Safetensors st when !st.metadata().isEmpty() -> info.put("metadata", st.metadata());
                case Gguf g -> {
                    info.put("version", g.version());
                    info.put("alignment", g.alignment());
                    info.put("metadata", metadata(g));
                }
                case FaissIndex idx -> {
                    info.put("dim", idx.dim());
                    info.put("count", idx.count());
                    info.put("metric", idx.metric().name());
                }
                default -> { }
            }
            List<Object> rows = new ArrayList<>();
            for (var e : tf.tensors().entrySet()) {
                Tensor t = e.getValue();
                rows.add(row(e.getKey(), t.dtype().name(), t.shape(), tf.offsetOf(e.getKey())));
            }
            info.put("tensors", rows);
        }
        return info;
    }

    static Map<String, Object> row(String name, String dtype, long[] shape, long offset) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("dtype", dtype);
        r.put("shape", shape);
        r.put("offset", offset);
        return r;
    }

    private static Map<String, Object> metadata(Gguf g) {
        Map<String, Object> m = new LinkedHashMap<>();
        g.metadata().forEach((k, v) -> m.put(k, plain(v)));
        return m;
    }

    /** A metadata value as plain JSON data; long arrays as {type, count, head}. */
    static Object plain(GgufValue v) {
        if (v.type() != GgufValue.Type.ARRAY) return scalar(v.type(), v.value());
        List<?> items = v.asList();
        List<Object> out = new ArrayList<>();
        for (Object o : items.subList(0, Math.min(items.size(), ARRAY_HEAD))) {
            out.add(o instanceof GgufValue nested ? plain(nested) : scalar(v.elementType(), o));
        }
        if (items.size() <= ARRAY_HEAD) return out;
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("type", v.elementType().name());
        a.put("count", items.size());
        a.put("head", out);
        return a;
    }

    private static Object scalar(GgufValue.Type t, Object o) {
        if (t == GgufValue.Type.UINT64 && (Long) o < 0) return new java.math.BigInteger(Long.toUnsignedString((Long) o));
        return o;
    }
}
