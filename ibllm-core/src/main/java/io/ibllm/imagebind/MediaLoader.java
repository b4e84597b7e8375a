package io.ibllm.imagebind;

import io.ibllm.tensor.Tensor;
import java.nio.file.Path;

/**
 * Turns a media file (image, video, audio, point cloud ...) into encoder input, as the
 * reference's load_and_transform_*_data do. Implementations (module ibllm-media) register in
 * META-INF/services/io.ibllm.imagebind.MediaLoader; {@link ModalityInputs} asks each in turn.
 */
public interface MediaLoader {
    /** Whether this loader reads {@code file} as a {@code kind} input (usually by extension). */
    boolean accepts(InputKind kind, Path file);

    /** One item in {@code kind}'s layout (or a batch with a leading dimension). */
    Tensor load(InputKind kind, Path file, Options options);

    /** Loader settings from the command line. */
    record Options(int clipsPerVideo) {
        /** ImageBind's load_and_transform_video_data default. */
        public static final Options DEFAULT = new Options(5);
    }
}
