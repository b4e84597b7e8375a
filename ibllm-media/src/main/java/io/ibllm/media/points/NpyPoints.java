package io.ibllm.media.points;

import io.ibllm.io.Npy;
import java.nio.file.Path;

/** A .npy array [N, 3] (or [N, C>=3], [1, N, 3]) of any real dtype, as np.load + torch.from_numpy. */
final class NpyPoints {
    private NpyPoints() {}

    static PointCloud read(Path file) {
        return PointClouds.fromTensor(file, Npy.read(file));
    }
}
