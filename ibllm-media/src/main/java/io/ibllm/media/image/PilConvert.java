package io.ibllm.media.image;

import io.ibllm.io.FormatException;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.nio.file.Path;

/**
 * PIL's {@code Image.open(f).convert("RGB")} on what ImageIO decoded:
 * <ul>
 * <li>palette images are expanded through the palette (its transparency is ignored);</li>
 * <li>alpha is dropped, never composited;</li>
 * <li>grayscale is replicated to R=G=B; 1/2/4-bit gray is scaled to 0..255 (x255, x85, x17);</li>
 * <li>16-bit grayscale opens in PIL as 32-bit mode "I" and converts by CLIPPING to 0..255
 *     (values above 255 become white) — reproduced, surprising as it is;</li>
 * <li>16-bit RGB(A) and gray+alpha keep the most significant byte;</li>
 * <li>CMYK JPEG: ImageIO (JDK 25) already un-inverts Adobe CMYK as PIL's "CMYK;I" rawmode does;
 *     only for a raw raster fallback is the inversion (and libjpeg's YCCK conversion) done here;
 *     then PIL's cmyk2rgb {@code nk - nk*c/255} (rounded as MULDIV255) — exact to Pillow 9.4.</li>
 * </ul>
 */
public final class PilConvert {
    private PilConvert() {}

    public static Image8 toRgb(Path file, DecodedImage img) {
        Raster r = img.raster();
        int w = img.width(), h = img.height();
        int type = r.getSampleModel().getDataType();
        if (type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE || img.bits() > 16) {
            throw new FormatException(file, "unsupported sample format (" + img.bits() + "-bit "
                    + (type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE ? "float" : "integer") + ")");
        }
        byte[] out = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        int bands = img.bands();
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            r.getPixels(0, y, w, 1, row);
            int o = y * w * 3;
            if (img.colorModel() instanceof IndexColorModel icm) palette(row, icm, out, o, w, file);
            else if (img.isCmyk()) cmyk(row, img.isRaw() ? img.adobeTransform() : -1, out, o, w);
            else if (bands <= 2) gray(row, bands, img.bits(), out, o, w);
            else if (bands <= 4) rgb(row, bands, img.bits(), out, o, w);
            else throw new FormatException(file, "unsupported image with " + bands + " channels");
        }
        return new Image8(w, h, 3, out);
    }

    private static void palette(int[] row, IndexColorModel icm, byte[] out, int o, int w, Path file) {
        int n = icm.getMapSize();
        for (int x = 0; x < w; x++) {
            int i = row[x];
            if (i < 0 || i >= n) throw new FormatException(file, "palette index " + i + " out of range (palette has " + n + " entries)");
            out[o++] = (byte) icm.getRed(i);
            out[o++] = (byte) icm.getGreen(i);
            out[o++] = (byte) icm.getBlue(i);
        }
    }

    private static void gray(int[] row, int bands, int bits, byte[] out, int o, int w) {
        for (int x = 0; x < w; x++) {
            int v = row[x * bands];
            if (bits < 8) v = v * 255 / ((1 << bits) - 1);
            else if (bits == 16) v = bands == 1 ? Math.min(v, 255) : v >> 8;
            else if (bits > 8) v = v >> (bits - 8);
            byte b = (byte) v;
            out[o++] = b;
            out[o++] = b;
            out[o++] = b;
        }
    }

    private static void rgb(int[] row, int bands, int bits, byte[] out, int o, int w) {
        int shift = Math.max(0, bits - 8);
        for (int x = 0; x < w; x++) {
            int p = x * bands;
            for (int c = 0; c < 3; c++) {
                int v = row[p + c];
                out[o++] = (byte) (bits < 8 ? v * 255 / ((1 << bits) - 1) : v >> shift);
            }
        }
    }

    /** {@code rawAdobeTransform}: -1 when the samples are already PIL's CMYK values. */
    private static void cmyk(int[] row, int rawAdobeTransform, byte[] out, int o, int w) {
        int adobeTransform = rawAdobeTransform;
        for (int x = 0; x < w; x++) {
            int p = x * 4;
            int c = row[p], m = row[p + 1], yy = row[p + 2], k = row[p + 3];
            if (adobeTransform == 2) { // YCCK: libjpeg gives C = 255 - R(YCC), likewise M, Y
                int[] rgb = YccToRgb.convert(c, m, yy);
                c = 255 - rgb[0];
                m = 255 - rgb[1];
                yy = 255 - rgb[2];
            }
            if (adobeTransform >= 0) { // Adobe CMYK is stored inverted (PIL rawmode "CMYK;I")
                c = 255 - c;
                m = 255 - m;
                yy = 255 - yy;
                k = 255 - k;
            }
            int nk = 255 - k;
            out[o++] = (byte) clip8(nk - mulDiv255(c, nk));
            out[o++] = (byte) clip8(nk - mulDiv255(m, nk));
            out[o++] = (byte) clip8(nk - mulDiv255(yy, nk));
        }
    }

    private static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    private static int clip8(int v) {
        return v < 0 ? 0 : Math.min(v, 255);
    }
}
