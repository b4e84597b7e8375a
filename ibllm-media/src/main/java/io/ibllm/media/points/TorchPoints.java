package io.ibllm.media.points;

import io.ibllm.io.FormatException;
import io.ibllm.io.TorchCheckpoint;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;

/**
 * A tensor saved with torch.save (like the reference's examples/*.pt), read through the
 * allow-listed pickle reader: nothing in the file is executed. A dict holding exactly one
 * tensor is accepted too.
 */
final class TorchPoints {
    private TorchPoints() {}

    static PointCloud read(Path file) {
        try (TorchCheckpoint c = TorchCheckpoint.open(file)) {
            Tensor t = c.root() instanceof Tensor root ? root : c.tensors().size() == 1 ? c.tensors().values().iterator().next() : null;
            if (t == null) throw new FormatException(file, "expected a saved tensor [N, 3], found " + c.tensors().size() + " tensors");
            return PointClouds.fromTensor(file, t); // copies before the mapping closes
        }
    }
}
