package io.ibllm;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the golden reference data copied into testdata/golden. */
public final class Golden {
    private Golden() {}

    public static Path dir() {
        String p = System.getProperty("ibllm.golden");
        Path d = p != null ? Path.of(p) : null;
        if (d == null || !Files.isDirectory(d)) {
            Path here = Path.of("").toAbsolutePath();
            for (Path x = here; x != null; x = x.getParent()) {
                if (Files.isDirectory(x.resolve("testdata/golden"))) return x.resolve("testdata/golden");
            }
            throw new IllegalStateException("testdata/golden not found from " + here);
        }
        return d;
    }

    public static Path file(String rel) { return dir().resolve(rel); }
}
