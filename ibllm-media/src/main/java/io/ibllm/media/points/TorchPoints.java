package io.ibllm.media.points;

import io.ibllm.io.FormatException;
import java.nio.file.Path;

/** A tensor saved with torch.save (like the reference's examples/*.pt). */
final class TorchPoints {
    private TorchPoints() {}

    static PointCloud read(Path file) {
        throw new FormatException(file, "reading .pt point clouds needs the PyTorch checkpoint reader (not yet available)");
    }
}
