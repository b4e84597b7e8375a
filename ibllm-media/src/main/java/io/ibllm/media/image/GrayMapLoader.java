package io.ibllm.media.image;

import io.ibllm.io.FormatException;
import io.ibllm.media.MediaLoader;
import io.ibllm.media.imu.SensorMaps;
import io.ibllm.tensor.Tensor;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Depth maps and thermal images to the encoder input [1, 224, 224]. The reference has no loader
 * for these modalities (its encoders take raw tensors), so this conversion is ours:
 * <ul>
 * <li>{@code .npy}: taken as stored by {@link SensorMaps} — [224, 224], [1, 224, 224] or
 *     [B, 1, 224, 224] (a batch, through {@link #loadBatch}), finite values — no scaling;</li>
 * <li>8- or 16-bit grayscale PNG/TIFF/BMP/…: sample / (2^bits - 1), so both depths map to [0, 1]
 *     (an RGB file is accepted only when R = G = B; alpha is ignored); then the vision geometry:
 *     short side to 224 with PIL's antialiased bicubic filter — evaluated in floating point,
 *     not 8-bit, so 16-bit precision survives — clamped to [0, 1], and the centred 224 crop.
 *     No mean/std normalisation (the reference defines none).</li>
 * </ul>
 */
public final class GrayMapLoader implements MediaLoader {
    private final String modality;

    /** {@code modality} ("depth", "thermal") only names the input in messages. */
    public GrayMapLoader(String modality) {
        this.modality = modality;
    }

    @Override
    public Tensor load(Path file) {
        Tensor t = loadBatch(file);
        if (t.dim(0) != 1) {
            throw new FormatException(file, "holds a batch of " + t.dim(0) + " " + modality + " maps, expected one");
        }
        return t.reshape(1, VisionTransform.SIZE, VisionTransform.SIZE);
    }

    /** [B, 1, 224, 224]: a raw .npy may hold a batch as the encoder takes it; an image is B = 1. */
    public Tensor loadBatch(Path file) {
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) return SensorMaps.load(file, modality);
        return fromImage(file).reshape(1, 1, VisionTransform.SIZE, VisionTransform.SIZE);
    }

    private Tensor fromImage(Path file) {
        DecodedImage img = ImageDecoder.decode(file);
        int w = img.width(), h = img.height();
        float[] gray = grayLevels(file, img);
        int[] size = VisionTransform.resizedSize(w, h, VisionTransform.SIZE);
        float[] r = PilResample.resizeFloat(gray, w, h, size[0], size[1]);
        int left = VisionTransform.centreOffset(size[0], VisionTransform.SIZE);
        int top = VisionTransform.centreOffset(size[1], VisionTransform.SIZE);
        int n = VisionTransform.SIZE;
        float[] out = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                out[y * n + x] = Math.min(1f, Math.max(0f, r[(top + y) * size[0] + left + x]));
            }
        }
        return Tensor.f32(out, 1, n, n);
    }

    /** Samples scaled by the bit depth to [0, 1], row-major. */
    private float[] grayLevels(Path file, DecodedImage img) {
        Raster r = img.raster();
        int w = img.width(), h = img.height(), bands = img.bands(), bits = img.bits();
        int type = r.getSampleModel().getDataType();
        if (img.colorModel() instanceof java.awt.image.IndexColorModel || img.isCmyk()
                || type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE || bits > 16) {
            throw new FormatException(file, "expected an 8- or 16-bit grayscale " + modality + " image");
        }
        float max = (1 << bits) - 1;
        float[] out = new float[w * h];
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            r.getPixels(0, y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int v = row[x * bands];
                if (bands >= 3 && (row[x * bands + 1] != v || row[x * bands + 2] != v)) {
                    throw new FormatException(file, "expected a grayscale " + modality + " image, got colour pixels (at "
                            + x + "," + y + ")");
                }
                out[y * w + x] = v / max;
            }
        }
        return out;
    }
}
