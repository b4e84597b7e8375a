package io.ibllm.media;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates testdata/golden (surefire sets ibllm.golden; otherwise search upwards). */
public final class MediaGolden {
    private MediaGolden() {}

    public static Path file(String rel) {
        String p = System.getProperty("ibllm.golden");
        if (p != null && Files.isDirectory(Path.of(p))) return Path.of(p).resolve(rel);
        for (Path x = Path.of("").toAbsolutePath(); x != null; x = x.getParent()) {
            if (Files.isDirectory(x.resolve("testdata/golden"))) return x.resolve("testdata/golden").resolve(rel);
        }
        throw new IllegalStateException("testdata/golden not found");
    }

    public static float maxAbsDiff(float[] a, int aOff, float[] b, int bOff, int n) {
        float m = 0;
        for (int i = 0; i < n; i++) m = Math.max(m, Math.abs(a[aOff + i] - b[bOff + i]));
        return m;
    }
}
