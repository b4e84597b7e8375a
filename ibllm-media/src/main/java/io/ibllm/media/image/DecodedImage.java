package io.ibllm.media.image;

import java.awt.image.ColorModel;
import java.awt.image.Raster;

/**
 * What javax.imageio decoded, before any colour conversion: the raw samples and how to read
 * them. {@code colorModel} is null for a raw CMYK/YCCK JPEG raster (when ImageIO cannot make
 * a BufferedImage of it); {@code adobeTransform} is the JPEG Adobe marker's transform
 * (-1 when there is no Adobe marker).
 */
public record DecodedImage(Raster raster, ColorModel colorModel, String format, int adobeTransform) {
    public int width() { return raster.getWidth(); }
    public int height() { return raster.getHeight(); }
    public int bands() { return raster.getNumBands(); }
    public int bits() { return raster.getSampleModel().getSampleSize(0); }
    /** CMYK: ImageIO's own CMYK colour model (values as PIL's "CMYK" mode holds them) or a raw raster. */
    public boolean isCmyk() {
        return bands() == 4 && (colorModel == null || colorModel.getColorSpace().getType() == java.awt.color.ColorSpace.TYPE_CMYK);
    }

    /** A raw JPEG raster: samples as stored in the file (Adobe inversion / YCCK not undone). */
    public boolean isRaw() { return colorModel == null; }
}
