package io.ibllm.io;

import java.nio.file.Path;

/** A file is not what it should be. The message is one line naming the file and the problem. */
public class FormatException extends RuntimeException {
    public FormatException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public FormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }

    public FormatException(String message) {
        super(message);
    }
}
