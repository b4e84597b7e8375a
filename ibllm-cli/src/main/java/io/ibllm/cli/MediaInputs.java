package io.ibllm.cli;

import io.ibllm.imagebind.InputKind;
import io.ibllm.media.MediaTensors;
import io.ibllm.media.image.ImageLoader;
import io.ibllm.media.video.VideoLoader;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.function.Function;

/** The ibllm-media loader for each input kind (for files that are not .npy encoder tensors). */
final class MediaInputs {
    private MediaInputs() {}

    /** The loader of {@code kind}, or null when it has none (text goes through the tokenizer). */
    static Function<Path, Tensor> loader(InputKind kind) {
        return switch (kind) {
            case IMAGE -> new ImageLoader()::load;
            case AUDIO -> MediaTensors.AUDIO::load;
            case POINTS -> MediaTensors.POINTS::load;
            case IMU -> MediaTensors.IMU::load;
            case DEPTH -> MediaTensors.DEPTH::load;
            case THERMAL -> MediaTensors.THERMAL::load;
            case VIDEO -> new VideoLoader()::load; // the reference's 5 clips x 3 crops
            case TEXT_TOKENS -> null;
        };
    }
}
