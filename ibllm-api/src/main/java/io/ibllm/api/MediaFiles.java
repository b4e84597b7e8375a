package io.ibllm.api;

import io.ibllm.imagebind.InputKind;
import io.ibllm.media.MediaTensors;
import io.ibllm.media.image.ImageLoader;
import io.ibllm.media.video.VideoLoader;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.function.Function;

/** The ibllm-media loader for each encoder input kind (for files that are not .npy encoder tensors). */
public final class MediaFiles {
    private MediaFiles() {}

    /** The loader of {@code kind} (video with {@code clipsPerVideo} clips), or null for token ids. */
    public static Function<Path, Tensor> loader(InputKind kind, int clipsPerVideo) {
        return switch (kind) {
            case IMAGE -> new ImageLoader()::load;
            case VIDEO -> new VideoLoader(clipsPerVideo)::load;
            case AUDIO -> MediaTensors.AUDIO::load;
            case POINTS -> MediaTensors.POINTS::load;
            case IMU -> MediaTensors.IMU::load;
            case DEPTH -> MediaTensors.DEPTH::load;
            case THERMAL -> MediaTensors.THERMAL::load;
            case TEXT_TOKENS -> null;
        };
    }

    public static Function<Path, Tensor> loader(InputKind kind) {
        return loader(kind, VideoLoader.DEFAULT_CLIPS);
    }
}
