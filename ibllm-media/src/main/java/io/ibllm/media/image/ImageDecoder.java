package io.ibllm.media.image;

import io.ibllm.io.FormatException;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Node;

/**
 * Decodes the first image of a PNG, JPEG, BMP, GIF or TIFF file with javax.imageio, and WebP
 * with {@link WebpDecoder}.
 * The size is read from the header and checked BEFORE any pixel is decoded, so an image bomb
 * (a tiny file claiming 50 000 x 50 000 pixels) is refused without allocating anything.
 * Every failure is a one-line {@link FormatException} naming the file.
 */
public final class ImageDecoder {
    /** Largest image accepted: 100 megapixels (about 300 MB as 8-bit RGB). */
    public static final long MAX_PIXELS = 100_000_000L;
    /**
     * Pixels a byte of file may justify: no supported codec packs more than a few thousand pixels
     * into one byte (deflate of a 1-bit PNG ~8 000, GIF LZW ~3 000), so a header claiming more is
     * a lie and we refuse it before allocating.
     */
    static final long MAX_PIXELS_PER_BYTE = 16_384;

    private ImageDecoder() {}

    static {
        ImageIO.setUseCache(false); // decode in memory: no temp files
    }

    public static DecodedImage decode(Path file) {
        long size = checkReadable(file);
        if (isWebp(file)) return WebpDecoder.decode(file, size); // not in javax.imageio: FFmpeg + libwebp's colour path
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) throw new FormatException(file, "cannot open for reading");
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) throw new FormatException(file, unsupported(file));
            ImageReader reader = readers.next();
            try {
                return read(file, size, reader, in);
            } finally {
                reader.dispose();
            }
        } catch (FormatException e) {
            throw e;
        } catch (IOException e) {
            throw new FormatException(file, "corrupt or truncated image (" + oneLine(e) + ")", e);
        } catch (RuntimeException e) {
            // ImageIO plugins answer some hostile headers with unchecked exceptions.
            throw new FormatException(file, "corrupt image (" + oneLine(e) + ")", e);
        } catch (OutOfMemoryError e) {
            throw new FormatException(file, "image too large to decode in this heap", e);
        }
    }

    private static DecodedImage read(Path file, long size, ImageReader reader, ImageInputStream in) throws IOException {
        reader.setInput(in, true, false);
        String format = reader.getFormatName().toLowerCase(Locale.ROOT);
        if (format.equals("jpg")) format = "jpeg";
        long w = reader.getWidth(0), h = reader.getHeight(0); // header only
        checkDimensions(file, w, h, size);
        int[] screen = format.equals("gif") ? GifCanvas.screenSize(reader) : null;
        if (screen != null) checkDimensions(file, screen[0], screen[1], size);
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((src, msg) -> warnings.add(msg));
        DecodedImage img;
        try {
            BufferedImage bi = reader.read(0);
            img = format.equals("gif") ? GifCanvas.compose(reader, bi)
                    : new DecodedImage(bi.getRaster(), bi.getColorModel(), format, adobeTransform(reader));
        } catch (IIOException e) {
            if (!format.equals("jpeg") || !String.valueOf(e.getMessage()).contains("Unsupported Image Type")) throw e;
            Raster raw = reader.readRaster(0, null); // CMYK / YCCK: ImageIO has no colour model for it
            img = new DecodedImage(raw, null, format, adobeTransform(reader));
        }
        for (String w0 : warnings) {
            String m = w0.toLowerCase(Locale.ROOT);
            if (m.contains("premature end") || m.contains("truncat")) {
                throw new FormatException(file, "truncated image (" + w0.strip() + ")");
            }
        }
        if (screen == null && (img.width() != w || img.height() != h)) {
            throw new FormatException(file, "decoded size " + img.width() + "x" + img.height() + " differs from header " + w + "x" + h);
        }
        return img;
    }

    /** Refuses empty frames and frames over {@link #MAX_PIXELS} (checked before decoding). */
    public static void checkFrameSize(Path file, long w, long h) {
        if (w <= 0 || h <= 0) throw new FormatException(file, "image has no pixels (" + w + "x" + h + ")");
        long pixels = w * h;
        if (pixels > MAX_PIXELS) {
            throw new FormatException(file, "image is " + w + "x" + h + " = " + pixels
                    + " pixels, more than the limit of " + MAX_PIXELS + " (resize it first)");
        }
    }

    static void checkDimensions(Path file, long w, long h, long fileSize) {
        checkFrameSize(file, w, h);
        long pixels = w * h;
        if (pixels > MAX_PIXELS_PER_BYTE * fileSize) {
            throw new FormatException(file, "header claims " + w + "x" + h + " pixels but the file has only "
                    + fileSize + " bytes (corrupt or malicious header)");
        }
    }

    static long checkReadable(Path file) {
        try {
            if (Files.isDirectory(file)) throw new FormatException(file, "is a directory, expected an image file");
            long size = Files.size(file);
            if (size == 0) throw new FormatException(file, "empty file");
            try (InputStream probe = Files.newInputStream(file)) {
                probe.read();
            }
            return size;
        } catch (NoSuchFileException e) {
            throw new FormatException(file, "no such file");
        } catch (IOException e) {
            throw new FormatException(file, "cannot read (" + oneLine(e) + ")");
        }
    }

    private static String unsupported(Path file) {
        return "unsupported or unrecognised image format (expected PNG, JPEG, BMP, GIF, TIFF or WebP)";
    }

    private static boolean isWebp(Path file) {
        byte[] head = new byte[16];
        try (InputStream in = Files.newInputStream(file)) {
            return WebpDecoder.isWebp(head, in.readNBytes(head, 0, head.length));
        } catch (IOException e) {
            throw new FormatException(file, "cannot read (" + oneLine(e) + ")");
        }
    }

    /** The Adobe APP14 transform flag (0 = none/CMYK, 1 = YCbCr, 2 = YCCK), -1 when absent. */
    private static int adobeTransform(ImageReader reader) {
        try {
            if (!reader.getFormatName().equalsIgnoreCase("jpeg")) return -1;
            IIOMetadata md = reader.getImageMetadata(0);
            if (md == null) return -1;
            return findAdobe(md.getAsTree("javax_imageio_jpeg_image_1.0"));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static int findAdobe(Node n) {
        if ("app14Adobe".equals(n.getNodeName())) {
            Node t = n.getAttributes().getNamedItem("transform");
            return t == null ? 0 : Integer.parseInt(t.getNodeValue());
        }
        for (Node c = n.getFirstChild(); c != null; c = c.getNextSibling()) {
            int r = findAdobe(c);
            if (r >= 0) return r;
        }
        return -1;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) m = e.getClass().getSimpleName();
        return m.lines().findFirst().orElse(m).strip();
    }
}
