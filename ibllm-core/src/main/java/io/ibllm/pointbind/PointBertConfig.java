package io.ibllm.pointbind;

import io.ibllm.io.FormatException;
import io.ibllm.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Point-BERT hyper-parameters, named as in the reference's PointTransformer yaml. Widths and
 * depth are also in the checkpoint's tensors; num_heads, group_size and num_group are not, so
 * they come from the optional config (the {@code point} object of {@code {"imagebind": ..,
 * "point": ..}}) or default to the official PointTransformer_8192point.yaml values.
 */
public record PointBertConfig(int transDim, int depth, int numHeads, int groupSize, int numGroup, int encoderDims) {
    /** Official Point-Bind (ImageBind-LLM) values. */
    public static final PointBertConfig OFFICIAL = new PointBertConfig(384, 12, 6, 32, 512, 256);

    static final int MAX_GROUPS = 8192, MAX_GROUP_SIZE = 1024;

    /** Keys of the reference yaml that do not affect inference; accepted and ignored. */
    private static final Set<String> IGNORED = Set.of("NAME", "drop_path_rate", "cls_dim", "npoints");
    private static final Set<String> KNOWN = Set.of("trans_dim", "depth", "num_heads", "group_size", "num_group", "encoder_dims");

    public PointBertConfig {
        positive("trans_dim", transDim);
        positive("depth", depth);
        positive("num_heads", numHeads);
        positive("group_size", groupSize);
        positive("num_group", numGroup);
        positive("encoder_dims", encoderDims);
        // Bounds keep a config value from turning into a huge allocation: attention holds
        // (num_group+1)² scores, the patch encoder group_size·512 floats per patch.
        if (numGroup > MAX_GROUPS) throw new IllegalArgumentException("point config: num_group " + numGroup + " exceeds " + MAX_GROUPS);
        if (groupSize > MAX_GROUP_SIZE) throw new IllegalArgumentException("point config: group_size " + groupSize + " exceeds " + MAX_GROUP_SIZE);
        if (transDim % numHeads != 0) {
            throw new IllegalArgumentException("point config: trans_dim " + transDim + " is not divisible by num_heads " + numHeads);
        }
    }

    private static void positive(String key, int v) {
        if (v <= 0) throw new IllegalArgumentException("point config: " + key + " must be positive, got " + v);
    }

    public int headDim() { return transDim / numHeads; }

    /** The explicit {@code point} keys of a model config file (empty when it has none). */
    public static Map<String, Integer> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new FormatException(file, "cannot read: " + e.getMessage());
        }
        Object root = Json.parse(text, file);
        if (!(root instanceof Map<?, ?> m)) throw new FormatException(file, "expected a JSON object {\"imagebind\": {...}, \"point\": {...}}");
        return given(m, file);
    }

    /**
     * The explicit Point-BERT keys of a parsed model config {@code {"imagebind": {...}, "point":
     * {...}}} (empty when it has no {@code point} object); {@code source} names errors.
     */
    public static Map<String, Integer> given(Map<?, ?> root, Path source) {
        Object p = root.get("point");
        if (p == null) return Map.of();
        if (!(p instanceof Map<?, ?> point)) throw error(source, "\"point\" must be a JSON object");
        return givenPoint(point, source);
    }

    /** The explicit keys of a parsed {@code point} object ({@code trans_dim}, ...); unknown keys are errors. */
    public static Map<String, Integer> givenPoint(Map<?, ?> point, Path source) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : point.entrySet()) {
            String k = String.valueOf(e.getKey());
            if (IGNORED.contains(k)) continue;
            if (!KNOWN.contains(k)) throw error(source, "unknown key point." + k + " (expected one of " + KNOWN + ")");
            if (!(e.getValue() instanceof Long l) || l < 1 || l > 1 << 20) {
                throw error(source, "point." + k + " must be an integer in [1, 1048576], got " + e.getValue());
            }
            out.put(k, (int) (long) l);
        }
        return out;
    }

    /** All six values of this config as explicit keys (for callers that build the record in code). */
    public Map<String, Integer> asGiven() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("trans_dim", transDim);
        m.put("depth", depth);
        m.put("num_heads", numHeads);
        m.put("group_size", groupSize);
        m.put("num_group", numGroup);
        m.put("encoder_dims", encoderDims);
        return m;
    }

    /**
     * The config for a checkpoint: widths and depth from its tensors (each {@code inferred} entry
     * maps a key to its value and the tensor it was read from), the rest from {@code given} or
     * OFFICIAL. A given value that contradicts a tensor is an error naming both.
     */
    static PointBertConfig resolve(Map<String, Integer> given, Path source, Map<String, Inferred> inferred) {
        Map<String, Integer> v = new LinkedHashMap<>(OFFICIAL.asGiven());
        for (Map.Entry<String, Inferred> e : inferred.entrySet()) {
            Integer g = given.get(e.getKey());
            Inferred t = e.getValue();
            if (g != null && g != t.value()) {
                throw error(source, "point." + e.getKey() + " = " + g + " contradicts the checkpoint: " + t.evidence()
                        + " implies " + e.getKey() + " = " + t.value());
            }
            v.put(e.getKey(), t.value());
        }
        for (Map.Entry<String, Integer> e : given.entrySet()) {
            if (!inferred.containsKey(e.getKey())) v.put(e.getKey(), e.getValue());
        }
        try {
            return new PointBertConfig(v.get("trans_dim"), v.get("depth"), v.get("num_heads"),
                    v.get("group_size"), v.get("num_group"), v.get("encoder_dims"));
        } catch (IllegalArgumentException e) {
            throw error(source, e.getMessage() + (given.isEmpty() ? " (num_heads, group_size and num_group are not in"
                    + " the checkpoint: give them in the model config's \"point\" object)" : ""));
        }
    }

    /** A value read off a checkpoint tensor, with a description of that tensor for errors. */
    record Inferred(int value, String evidence) {}

    private static FormatException error(Path source, String msg) {
        return source == null ? new FormatException(msg) : new FormatException(source, msg);
    }
}
