package io.ibllm.train;

import io.ibllm.io.Npy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;

/**
 * ImageBind features are frozen, so each (image file, crop) is embedded once and reused across
 * epochs and runs: kept in memory and on disk as one .npy per key (named by its SHA-1).
 */
public final class FeatureStore {
    private final Path dir;
    private final Map<String, float[]> memory = new HashMap<>();
    private int computed;

    public FeatureStore(Path dir) {
        this.dir = dir;
    }

    /** Number of embeddings computed (not found in the store) by this process. */
    public int computed() { return computed; }

    /** The feature for {@code key}, computing it with {@code compute} on a miss. */
    public float[] get(String key, Supplier<float[]> compute) {
        float[] f = memory.get(key);
        if (f != null) return f;
        Path file = dir == null ? null : dir.resolve(sha1(key) + ".npy");
        if (file != null && Files.exists(file)) {
            f = Npy.read(file).toFloatArray();
        } else {
            f = compute.get();
            computed++;
            if (file != null) Npy.writeF32(file, f, f.length);
        }
        memory.put(key, f);
        return f;
    }

    /** A key naming the file by path, size and modification time, plus the crop. */
    public static String key(Path image, String crop) {
        try {
            return image.toAbsolutePath().normalize() + "|" + Files.size(image) + "|" + Files.getLastModifiedTime(image).toMillis() + "|" + crop;
        } catch (java.io.IOException e) {
            throw new io.ibllm.io.FormatException(image, "cannot read: " + e.getMessage());
        }
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
