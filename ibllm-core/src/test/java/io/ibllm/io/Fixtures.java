package io.ibllm.io;

import io.ibllm.Golden;
import java.nio.file.Path;

/** testdata/formats: small files written by the reference libraries (see make_fixtures.py there). */
final class Fixtures {
    private Fixtures() {}

    static Path file(String name) {
        return Golden.dir().resolveSibling("formats").resolve(name);
    }
}
