package io.ibllm.media.image;

import io.ibllm.media.MediaLoader;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;

/** Image file (PNG, JPEG, BMP, GIF, TIFF, WebP) to the vision encoder input [3, 224, 224]. */
public final class ImageLoader implements MediaLoader {
    @Override
    public Tensor load(Path file) {
        return Tensor.f32(VisionTransform.apply(decodeRgb(file)), 3, VisionTransform.SIZE, VisionTransform.SIZE);
    }

    /** The decoded image after PIL's convert("RGB"). */
    public static Image8 decodeRgb(Path file) {
        return PilConvert.toRgb(file, ImageDecoder.decode(file));
    }
}
