package io.ibllm.media;

import io.ibllm.io.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Golden data for media tests (the core Golden helper is test-scoped to ibllm-core). */
public final class TestData {
    private TestData() {}

    public static Path golden(String rel) {
        String p = System.getProperty("ibllm.golden");
        Path dir = p != null && Files.isDirectory(Path.of(p)) ? Path.of(p) : Path.of("../testdata/golden");
        return dir.resolve(rel);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> goldenJson() {
        try {
            return (Map<String, Object>) Json.parse(Files.readString(golden("golden.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new AssertionError("length " + a.length + " != " + b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs((double) a[i] - b[i]));
        return m;
    }
}
