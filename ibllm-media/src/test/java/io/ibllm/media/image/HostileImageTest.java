package io.ibllm.media.image;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.FormatException;
import io.ibllm.media.MediaGolden;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken and malicious image files: each fails with one line naming the file, nothing else. */
class HostileImageTest {
    @TempDir
    Path dir;

    static final Path PNG = MediaGolden.file("inputs/image_0.png");
    static final Path JPG = MediaGolden.file("inputs/image_1.jpg");

    static void rejects(Path f, String... keywords) {
        FormatException e = assertThrows(FormatException.class, () -> new ImageLoader().load(f));
        String m = e.getMessage();
        assertTrue(m.startsWith(f.toString()), "message must name the file: " + m);
        assertTrue(m.lines().count() == 1, "message must be one line: " + m);
        System.out.println("  rejected: " + m);
        String lower = m.toLowerCase(Locale.ROOT);
        assertTrue(Arrays.stream(keywords).anyMatch(lower::contains), "message " + m + " lacks one of " + Arrays.toString(keywords));
    }

    Path file(String name, byte[] content) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return f;
    }

    @Test
    void missingEmptyDirectoryAndGarbage() throws Exception {
        rejects(dir.resolve("nope.png"), "no such file");
        rejects(file("empty.png", new byte[0]), "empty");
        rejects(dir, "directory");
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        rejects(file("noise.jpg", noise), "unsupported", "unrecognised");
        rejects(file("text.png", "hello, not an image\n".getBytes()), "unsupported", "unrecognised");
    }

    @Test
    void brokenWebp() throws Exception {
        byte[] webp = "RIFF\0\0\0\0WEBPVP8 \0\0\0\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        rejects(file("x.webp", webp), "corrupt or truncated webp");
        byte[] real = Files.readAllBytes(PilFixturesTest.dir().resolve("webp_lossy.webp"));
        rejects(file("half.webp", Arrays.copyOf(real, real.length / 2)), "corrupt or truncated webp");
    }

    @Test
    void truncatedFiles() throws Exception {
        byte[] png = Files.readAllBytes(PNG), jpg = Files.readAllBytes(JPG);
        rejects(file("half.png", Arrays.copyOf(png, png.length / 2)), "truncated", "corrupt");
        rejects(file("half.jpg", Arrays.copyOf(jpg, jpg.length / 2)), "truncated", "corrupt");
        rejects(file("header.png", Arrays.copyOf(png, 40)), "truncated", "corrupt");
        rejects(file("header.jpg", Arrays.copyOf(jpg, 30)), "truncated", "corrupt", "unsupported");
    }

    @Test
    void truncatedGifBmpTiff() throws Exception {
        java.awt.image.BufferedImage bi = ImageFormatsTest.rgb(ImageLoader.decodeRgb(PNG));
        java.awt.image.BufferedImage ind = new java.awt.image.BufferedImage(bi.getWidth(), bi.getHeight(),
                java.awt.image.BufferedImage.TYPE_BYTE_INDEXED);
        ind.getGraphics().drawImage(bi, 0, 0, null);
        for (String fmt : new String[] {"gif", "bmp", "tiff"}) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            assertTrue(javax.imageio.ImageIO.write(fmt.equals("gif") ? ind : bi, fmt, b));
            byte[] all = b.toByteArray();
            rejects(file("half." + fmt, Arrays.copyOf(all, all.length / 2)), "truncated", "corrupt");
        }
    }

    @Test
    void pngBombIsRefusedFromTheHeader() throws Exception {
        rejects(file("bomb.png", png(50_000, 50_000)), "50000x50000", "limit");
    }

    @Test
    void headerClaimingMorePixelsThanTheFileCanHoldIsRefused() throws Exception {
        rejects(file("liar.png", png(9_000, 9_000)), "only", "corrupt");
    }

    @Test
    void jpegBombIsRefusedFromTheHeader() throws Exception {
        byte[] jpg = Files.readAllBytes(JPG);
        int sof = -1;
        for (int i = 0; i + 1 < jpg.length; i++) {
            if ((jpg[i] & 0xFF) == 0xFF && ((jpg[i + 1] & 0xFF) == 0xC0 || (jpg[i + 1] & 0xFF) == 0xC2)) {
                sof = i;
                break;
            }
        }
        assertTrue(sof > 0, "no SOF marker in the golden JPEG");
        int h = sof + 5; // FF C0, length(2), precision(1), height(2), width(2)
        jpg[h] = (byte) (50_000 >> 8);
        jpg[h + 1] = (byte) 50_000;
        jpg[h + 2] = (byte) (50_000 >> 8);
        jpg[h + 3] = (byte) 50_000;
        rejects(file("bomb.jpg", jpg), "50000x50000", "limit");
    }

    @Test
    void corruptedJpegBodyFailsCleanlyOrDecodes() throws Exception {
        byte[] jpg = Files.readAllBytes(JPG);
        Random rnd = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            byte[] c = jpg.clone();
            for (int k = 0; k < 40; k++) c[600 + rnd.nextInt(c.length - 600)] = (byte) rnd.nextInt(256);
            Path f = file("corrupt" + trial + ".jpg", c);
            try {
                new ImageLoader().load(f); // libjpeg recovers from many corruptions, as in PIL
            } catch (FormatException e) {
                assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().lines().count() == 1, e.getMessage());
            }
        }
    }

    /** A PNG whose IHDR claims w x h RGB pixels but holds one row of compressed zeros. */
    static byte[] png(int w, int h) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(ihdr);
        d.writeInt(w);
        d.writeInt(h);
        d.write(new byte[] {8, 2, 0, 0, 0});
        chunk(out, "IHDR", ihdr.toByteArray());
        Deflater def = new Deflater();
        def.setInput(new byte[1 + 3 * Math.min(w, 1000)]);
        def.finish();
        byte[] buf = new byte[8192];
        int n = def.deflate(buf);
        chunk(out, "IDAT", Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
        DataOutputStream d = new DataOutputStream(out);
        d.writeInt(data.length);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
