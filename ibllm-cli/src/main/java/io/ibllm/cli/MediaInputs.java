package io.ibllm.cli;

import io.ibllm.imagebind.InputKind;
import io.ibllm.media.MediaTensors;
import io.ibllm.media.image.ImageLoader;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.function.Function;

/** The ibllm-media loader for each input kind (for files that are not .npy encoder tensors). */
final class MediaInputs {
    private MediaInputs() {}

    /** The loader of {@code kind}, or null when this build has none (video for now). */
    static Function<Path, Tensor> loader(InputKind kind) {
        return switch (kind) {
            case IMAGE -> new ImageLoader()::load;
            case AUDIO -> MediaTensors.AUDIO::load;
            case POINTS -> MediaTensors.POINTS::load;
            case IMU -> MediaTensors.IMU::load;
            case DEPTH -> MediaTensors.DEPTH::load;
            case THERMAL -> MediaTensors.THERMAL::load;
            case VIDEO, TEXT_TOKENS -> null;
        };
    }
}
