package io.ibllm.media.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.media.MediaGolden;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.File;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every supported container decodes to the pixels PIL's convert("RGB") would give. */
class ImageFormatsTest {
    @TempDir
    Path dir;

    static final Image8 SRC = ImageLoader.decodeRgb(MediaGolden.file("inputs/image_0.png"));

    static BufferedImage rgb(Image8 img) {
        BufferedImage bi = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster r = bi.getRaster();
        int[] px = new int[3];
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                for (int c = 0; c < 3; c++) px[c] = img.get(x, y, c);
                r.setPixel(x, y, px);
            }
        }
        return bi;
    }

    Path write(BufferedImage bi, String format, String name) throws Exception {
        Path f = dir.resolve(name);
        assertTrue(ImageIO.write(bi, format, f.toFile()), "no " + format + " writer");
        return f;
    }

    @Test
    void losslessContainersRoundTrip() throws Exception {
        for (String fmt : new String[] {"bmp", "tiff", "png"}) {
            Image8 back = ImageLoader.decodeRgb(write(rgb(SRC), fmt, "x." + fmt));
            assertArrayEquals(SRC.data(), back.data(), fmt);
        }
    }

    @Test
    void alphaIsDroppedNotComposited() throws Exception {
        BufferedImage bi = new BufferedImage(SRC.width(), SRC.height(), BufferedImage.TYPE_4BYTE_ABGR);
        Random rnd = new Random(1);
        for (int y = 0; y < SRC.height(); y++) {
            for (int x = 0; x < SRC.width(); x++) {
                bi.getRaster().setPixel(x, y, new int[] {SRC.get(x, y, 0), SRC.get(x, y, 1), SRC.get(x, y, 2), rnd.nextInt(256)});
            }
        }
        assertArrayEquals(SRC.data(), ImageLoader.decodeRgb(write(bi, "png", "rgba.png")).data());
    }

    @Test
    void paletteImagesExpandThroughThePalette() throws Exception {
        byte[] r = new byte[256], g = new byte[256], b = new byte[256];
        for (int i = 0; i < 256; i++) {
            r[i] = (byte) (i * 7);
            g[i] = (byte) (255 - i);
            b[i] = (byte) (i * 13 + 5);
        }
        IndexColorModel icm = new IndexColorModel(8, 256, r, g, b);
        int w = 37, h = 23;
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, icm);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) bi.getRaster().setSample(x, y, 0, (x * 31 + y * 17) % 256);
        for (String fmt : new String[] {"png", "gif", "bmp"}) {
            Image8 out = ImageLoader.decodeRgb(write(bi, fmt, "pal." + fmt));
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = (x * 31 + y * 17) % 256;
                    assertEquals(r[i] & 0xFF, out.get(x, y, 0), fmt);
                    assertEquals(g[i] & 0xFF, out.get(x, y, 1), fmt);
                    assertEquals(b[i] & 0xFF, out.get(x, y, 2), fmt);
                }
            }
        }
    }

    @Test
    void grayscaleIsReplicatedAnd16BitGrayIsClippedAsPilDoes() throws Exception {
        BufferedImage g8 = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        g8.getRaster().setPixels(0, 0, 3, 1, new int[] {0, 77, 255});
        Image8 a = ImageLoader.decodeRgb(write(g8, "png", "g8.png"));
        assertArrayEquals(new byte[] {0, 0, 0, 77, 77, 77, (byte) 255, (byte) 255, (byte) 255}, a.data());
        BufferedImage g16 = new BufferedImage(4, 1, BufferedImage.TYPE_USHORT_GRAY);
        g16.getRaster().setPixels(0, 0, 4, 1, new int[] {100, 255, 256, 65535});
        Image8 b = ImageLoader.decodeRgb(write(g16, "png", "g16.png"));
        // PIL opens 16-bit gray PNG as mode "I"; convert("RGB") clips to 0..255
        assertArrayEquals(new byte[] {100, 100, 100, (byte) 255, (byte) 255, (byte) 255, (byte) 255, (byte) 255, (byte) 255,
                (byte) 255, (byte) 255, (byte) 255}, b.data());
    }

    @Test
    void progressiveJpegDecodesToTheSamePixelsAsBaseline() throws Exception {
        Path base = jpeg(rgb(SRC), false, "base.jpg"), prog = jpeg(rgb(SRC), true, "prog.jpg");
        Image8 a = ImageLoader.decodeRgb(base), b = ImageLoader.decodeRgb(prog);
        assertArrayEquals(a.data(), b.data());
        double sum = 0;
        for (int i = 0; i < a.data().length; i++) sum += Math.abs((a.data()[i] & 0xFF) - (SRC.data()[i] & 0xFF));
        double mean = sum / a.data().length;
        assertTrue(mean < 10, "JPEG decode far from the source: mean abs error " + mean);
    }

    @Test
    void cmykJpegDecodes() throws Exception {
        WritableRaster r = java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 16, 8, 4, null);
        for (int y = 0; y < 8; y++) for (int x = 0; x < 16; x++) r.setPixel(x, y, new int[] {x * 16, y * 32, 0, 0});
        Path f = dir.resolve("cmyk.jpg");
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(f.toFile())) {
            w.setOutput(out);
            w.write(null, new IIOImage(r, null, null), w.getDefaultWriteParam());
        }
        Image8 img = ImageLoader.decodeRgb(f);
        assertEquals(16, img.width());
        assertEquals(8, img.height());
    }

    Path jpeg(BufferedImage bi, boolean progressive, String name) throws Exception {
        File f = dir.resolve(name).toFile();
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = w.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(0.9f);
        if (progressive) p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(f)) {
            w.setOutput(out);
            w.write(null, new IIOImage(bi, null, null), p);
        }
        return f.toPath();
    }
}
