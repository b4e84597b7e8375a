package io.ibllm.media.image;

import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_ARGB;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUVA420P;

import io.ibllm.io.FormatException;
import io.ibllm.media.video.VideoDecoder;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.javacpp.BytePointer;

/**
 * WebP as Pillow 9.4 reads it (libwebp, RGB(A) output, alpha then dropped). FFmpeg decodes the
 * bitstream (VP8 is bit-exactly specified; lossless WebP is lossless); for lossy files the
 * YUV 4:2:0 planes are then turned into RGB the way libwebp does by default: "fancy"
 * upsampling of chroma (9-3-3-1 weights on the two nearest chroma rows, first and last rows
 * mirrored) and its 14-bit fixed-point YUV to RGB conversion.
 */
final class WebpDecoder {
    private WebpDecoder() {}

    static boolean isWebp(byte[] head, int n) {
        return n >= 12 && head[0] == 'R' && head[1] == 'I' && head[2] == 'F' && head[3] == 'F'
                && head[8] == 'W' && head[9] == 'E' && head[10] == 'B' && head[11] == 'P';
    }

    /** The decoded RGB samples as a 3-band raster, so WebP takes the same path as ImageIO's formats. */
    static DecodedImage decode(Path file, long fileSize) {
        Image8 rgb = decodeRgb(file, fileSize);
        java.awt.image.WritableRaster r = java.awt.image.Raster.createInterleavedRaster(
                new java.awt.image.DataBufferByte(rgb.data(), rgb.data().length), rgb.width(), rgb.height(),
                rgb.width() * 3, 3, new int[] {0, 1, 2}, null);
        java.awt.image.ColorModel cm = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_sRGB), false, false,
                java.awt.Transparency.OPAQUE, java.awt.image.DataBuffer.TYPE_BYTE);
        return new DecodedImage(r, cm, "webp", -1);
    }

    static Image8 decodeRgb(Path file, long fileSize) {
        Image8[] out = new Image8[1];
        try (VideoDecoder dec = VideoDecoder.open(file)) {
            VideoDecoder.Info info = dec.info();
            ImageDecoder.checkDimensions(file, info.width(), info.height(), fileSize);
            dec.decode((pts, f) -> {
                out[0] = toRgb(file, f);
                return false; // the first frame, as PIL
            });
        } catch (FormatException e) {
            String m = e.getMessage(), prefix = file + ": ";
            if (m.contains("limit") || m.contains("claims")) throw e; // the size guards already speak of images
            throw new FormatException(file, "corrupt or truncated WebP image ("
                    + (m.startsWith(prefix) ? m.substring(prefix.length()) : m) + ")", e);
        }
        if (out[0] == null) throw new FormatException(file, "WebP file holds no image");
        return out[0];
    }

    private static Image8 toRgb(Path file, AVFrame f) {
        int w = f.width(), h = f.height();
        byte[] rgb = new byte[Math.multiplyExact(Math.multiplyExact(w, h), 3)];
        if (f.format() == AV_PIX_FMT_ARGB) {
            byte[] row = new byte[w * 4];
            for (int y = 0; y < h; y++) {
                f.data(0).position((long) y * f.linesize(0)).get(row, 0, row.length);
                for (int x = 0; x < w; x++) System.arraycopy(row, x * 4 + 1, rgb, (y * w + x) * 3, 3);
            }
        } else if (f.format() == AV_PIX_FMT_YUV420P || f.format() == AV_PIX_FMT_YUVA420P) {
            fancyUpsample(plane(f, 0, w, h), plane(f, 1, (w + 1) / 2, (h + 1) / 2), plane(f, 2, (w + 1) / 2, (h + 1) / 2), w, h, rgb);
        } else {
            throw new FormatException(file, "unexpected WebP pixel format " + f.format());
        }
        return new Image8(w, h, 3, rgb);
    }

    private static byte[] plane(AVFrame f, int i, int w, int h) {
        byte[] p = new byte[w * h];
        BytePointer d = f.data(i);
        for (int y = 0; y < h; y++) d.position((long) y * f.linesize(i)).get(p, y * w, w);
        return p;
    }

    /** libwebp's EmitFancyRGB: row 0 alone, then row pairs (2k+1, 2k+2), then an even height's last row. */
    static void fancyUpsample(byte[] y, byte[] u, byte[] v, int w, int h, byte[] rgb) {
        int uvw = (w + 1) / 2;
        linePair(y, 0, -1, u, v, 0, 0, uvw, w, rgb);
        int row = 0, uvRow = 0;
        for (; row + 2 < h; row += 2, uvRow++) {
            linePair(y, row + 1, row + 2, u, v, uvRow, uvRow + 1, uvw, w, rgb);
        }
        if ((h & 1) == 0) linePair(y, h - 1, -1, u, v, uvRow, uvRow, uvw, w, rgb);
    }

    /** libwebp UpsampleRgbLinePair: U and V packed in one int (16 bits apart) as libwebp does. */
    private static void linePair(byte[] y, int topRow, int bottomRow, byte[] u, byte[] v, int topUv, int curUv, int uvw, int w,
            byte[] rgb) {
        int tl = load(u, v, topUv * uvw), l = load(u, v, curUv * uvw);
        int uv0 = (3 * tl + l + 0x00020002) >>> 2;
        put(y, rgb, topRow, 0, w, uv0);
        if (bottomRow >= 0) put(y, rgb, bottomRow, 0, w, (3 * l + tl + 0x00020002) >>> 2);
        int lastPair = (w - 1) >> 1;
        for (int x = 1; x <= lastPair; x++) {
            int t = load(u, v, topUv * uvw + x), c = load(u, v, curUv * uvw + x);
            int avg = tl + t + l + c + 0x00080008;
            int diag12 = (avg + 2 * (t + l)) >>> 3, diag03 = (avg + 2 * (tl + c)) >>> 3;
            put(y, rgb, topRow, 2 * x - 1, w, (diag12 + tl) >>> 1);
            put(y, rgb, topRow, 2 * x, w, (diag03 + t) >>> 1);
            if (bottomRow >= 0) {
                put(y, rgb, bottomRow, 2 * x - 1, w, (diag03 + l) >>> 1);
                put(y, rgb, bottomRow, 2 * x, w, (diag12 + c) >>> 1);
            }
            tl = t;
            l = c;
        }
        if ((w & 1) == 0) {
            put(y, rgb, topRow, w - 1, w, (3 * tl + l + 0x00020002) >>> 2);
            if (bottomRow >= 0) put(y, rgb, bottomRow, w - 1, w, (3 * l + tl + 0x00020002) >>> 2);
        }
    }

    private static int load(byte[] u, byte[] v, int i) {
        return (u[i] & 0xFF) | ((v[i] & 0xFF) << 16);
    }

    private static void put(byte[] y, byte[] rgb, int row, int x, int w, int uv) {
        int yy = y[row * w + x] & 0xFF, uu = uv & 0xFF, vv = (uv >>> 16) & 0xFF;
        int o = (row * w + x) * 3;
        int luma = multHi(yy, 19077);
        rgb[o] = clip8(luma + multHi(vv, 26149) - 14234);
        rgb[o + 1] = clip8(luma - multHi(uu, 6419) - multHi(vv, 13320) + 8708);
        rgb[o + 2] = clip8(luma + multHi(uu, 33050) - 17685);
    }

    private static int multHi(int v, int coeff) {
        return (v * coeff) >> 8;
    }

    /** libwebp VP8Clip8 with YUV_FIX2 = 6. */
    private static byte clip8(int v) {
        if ((v & ~((256 << 6) - 1)) == 0) return (byte) (v >> 6);
        return (byte) (v < 0 ? 0 : 255);
    }
}
