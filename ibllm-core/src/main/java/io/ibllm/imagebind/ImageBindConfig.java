package io.ibllm.imagebind;

import io.ibllm.io.FormatException;
import io.ibllm.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The reference's {@code ImageBindModel(**kwargs)} keyword arguments (section "imagebind" of a
 * model config JSON) plus the raw Point-BERT section ("point", read by the point tower).
 *
 * <p>Omitted keys take the official huge values. Widths, depths and kernel sizes are inferred
 * from the checkpoint; a key given here is then only a cross-check ({@link #checkInferred}).
 * Head counts, the audio stride and the input geometry cannot be read from tensors and come
 * from here.
 *
 * @param values every kwarg, defaults filled in (Integer, Double or int[] for kernel_size)
 * @param given  the keys the file set explicitly
 * @param point  the "point" object as parsed (empty if absent)
 * @param source the file it came from, or null for the defaults
 */
public record ImageBindConfig(Map<String, Object> values, Set<String> given, Map<String, Object> point, Path source) {

    /** Official ImageBind-huge values (imagebind_huge() in the reference). */
    private static final Map<String, Object> HUGE = huge();

    private static Map<String, Object> huge() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("video_frames", 2);
        m.put("kernel_size", new int[] {2, 14, 14});
        m.put("audio_kernel_size", 16);
        m.put("audio_stride", 10);
        m.put("out_embed_dim", 1024);
        m.put("vision_embed_dim", 1280);
        m.put("vision_num_blocks", 32);
        m.put("vision_num_heads", 16);
        m.put("audio_embed_dim", 768);
        m.put("audio_num_blocks", 12);
        m.put("audio_num_heads", 12);
        m.put("audio_num_mel_bins", 128);
        m.put("audio_target_len", 204);
        m.put("audio_drop_path", 0.1);
        m.put("text_embed_dim", 1024);
        m.put("text_num_blocks", 24);
        m.put("text_num_heads", 16);
        m.put("depth_embed_dim", 384);
        m.put("depth_kernel_size", 16);
        m.put("depth_num_blocks", 12);
        m.put("depth_num_heads", 8);
        m.put("depth_drop_path", 0.0);
        m.put("thermal_embed_dim", 768);
        m.put("thermal_kernel_size", 16);
        m.put("thermal_num_blocks", 12);
        m.put("thermal_num_heads", 12);
        m.put("thermal_drop_path", 0.0);
        m.put("imu_embed_dim", 512);
        m.put("imu_kernel_size", 8);
        m.put("imu_num_blocks", 6);
        m.put("imu_num_heads", 8);
        m.put("imu_drop_path", 0.7);
        return Collections.unmodifiableMap(m);
    }

    /** The official huge configuration, nothing given explicitly. */
    public static ImageBindConfig defaults() {
        return new ImageBindConfig(HUGE, Set.of(), Map.of(), null);
    }

    /** Reads {@code {"imagebind": {...}, "point": {...}}}; other top-level keys are ignored. */
    public static ImageBindConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new FormatException(file, "cannot read model config: " + e.getMessage());
        }
        return parse(text, file);
    }

    /** The same from the file's text (e.g. kept in a converted GGUF; {@code file} names it in errors). */
    public static ImageBindConfig parse(String text, Path file) {
        if (!(Json.parse(text, file) instanceof Map<?, ?> top)) {
            throw new FormatException(file, "model config must be a JSON object with \"imagebind\" and/or \"point\"");
        }
        return fromJson(top, file);
    }

    /** Builds a config from a parsed JSON object (see {@link #read}). */
    public static ImageBindConfig fromJson(Map<?, ?> top, Path file) {
        // golden_config.json wraps the model config in "config"; accept that file (or its text in a GGUF) as it is.
        if (!top.containsKey("imagebind") && !top.containsKey("point") && top.get("config") instanceof Map<?, ?> inner) {
            top = inner;
        }
        Map<String, Object> values = new LinkedHashMap<>(HUGE);
        Set<String> given = new TreeSet<>();
        Object ib = top.get("imagebind");
        if (ib != null) {
            if (!(ib instanceof Map<?, ?> m)) throw new FormatException(file, "\"imagebind\" must be an object");
            for (var e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (!HUGE.containsKey(key)) {
                    throw new FormatException(file, "unknown imagebind key \"" + key + "\" (expected one of " + HUGE.keySet() + ")");
                }
                values.put(key, convert(file, key, e.getValue()));
                given.add(key);
            }
        }
        Map<String, Object> point = new LinkedHashMap<>();
        Object pt = top.get("point");
        if (pt != null) {
            if (!(pt instanceof Map<?, ?> m)) throw new FormatException(file, "\"point\" must be an object");
            for (var e : m.entrySet()) point.put(String.valueOf(e.getKey()), e.getValue());
        }
        return new ImageBindConfig(Collections.unmodifiableMap(values), Collections.unmodifiableSet(given),
                Collections.unmodifiableMap(point), file);
    }

    private static Object convert(Path file, String key, Object v) {
        if (key.endsWith("_drop_path")) {
            if (v instanceof Number n && n.doubleValue() >= 0 && n.doubleValue() <= 1) return n.doubleValue();
            throw new FormatException(file, "imagebind." + key + " must be a number in [0, 1], got " + v);
        }
        if (key.equals("kernel_size")) {
            if (v instanceof List<?> l && l.size() == 3) {
                int[] k = new int[3];
                for (int i = 0; i < 3; i++) k[i] = positiveInt(file, key, l.get(i));
                return k;
            }
            throw new FormatException(file, "imagebind.kernel_size must be a list of 3 positive integers [t, h, w], got " + v);
        }
        return positiveInt(file, key, v);
    }

    private static int positiveInt(Path file, String key, Object v) {
        if (v instanceof Long l && l > 0 && l <= 1 << 20) return l.intValue();
        throw new FormatException(file, "imagebind." + key + " must be a positive integer, got " + v);
    }

    /** An integer kwarg. */
    public int integer(String key) {
        if (!(values.get(key) instanceof Integer i)) throw new IllegalArgumentException("not an integer kwarg: " + key);
        return i;
    }

    /** The vision Conv3d kernel (= stride) [t, h, w]. */
    public int[] kernelSize() { return ((int[]) values.get("kernel_size")).clone(); }

    public boolean isGiven(String key) { return given.contains(key); }

    /**
     * Fails when the file set {@code key} to something other than what the checkpoint says.
     *
     * @param evidence the tensor that determines the value, e.g. "modality_trunks.vision.blocks.0.norm_1.weight [1280]"
     */
    public void checkInferred(String key, Object inferred, String evidence) {
        if (!given.contains(key)) return;
        Object v = values.get(key);
        boolean same = v instanceof int[] a && inferred instanceof int[] b ? java.util.Arrays.equals(a, b) : v.equals(inferred);
        if (!same) {
            throw new FormatException(source, "imagebind." + key + " = " + show(v) + " contradicts the checkpoint: "
                    + evidence + " means " + show(inferred));
        }
    }

    private static String show(Object v) { return v instanceof int[] a ? java.util.Arrays.toString(a) : String.valueOf(v); }

    /** The config file's name for messages ("the default configuration" when none). */
    public String describe() { return source == null ? "the default (huge) configuration" : source.toString(); }
}
