package io.ibllm.cli;

import io.ibllm.io.FormatException;
import io.ibllm.io.Safetensors;
import io.ibllm.io.TensorFile;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a checkpoint file for the commands. */
final class Checkpoint {
    private Checkpoint() {}

    // TODO(io): switch to io.ibllm.io.Checkpoints.open (sniffs .pth/.safetensors/.gguf) once it is on main.
    static TensorFile open(Path path) {
        if (!Files.isRegularFile(path)) throw new FormatException(path, "no such file");
        if (!path.getFileName().toString().toLowerCase().endsWith(".safetensors")) {
            throw new FormatException(path, "only .safetensors checkpoints can be read by this build (use the .safetensors twin)");
        }
        return Safetensors.open(path);
    }
}
