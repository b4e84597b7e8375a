package io.ibllm.media.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.Npy;
import io.ibllm.media.MediaGolden;
import io.ibllm.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** preprocess/vision.npy (Pillow 9.4 + torchvision 0.14) from the raw golden inputs. */
class VisionGoldenTest {
    static final int N = 3 * 224 * 224;
    static final float[] GOLDEN = Npy.read(MediaGolden.file("preprocess/vision.npy")).toFloatArray();

    @Test
    void pngMatchesReference() {
        float[] ours = new ImageLoader().load(MediaGolden.file("inputs/image_0.png")).toFloatArray();
        float d = MediaGolden.maxAbsDiff(ours, 0, GOLDEN, 0, N);
        System.out.println("image_0.png max abs diff vs vision.npy[0]: " + d);
        assertTrue(d <= 1e-6f, "max abs diff " + d);
    }

    @Test
    void jpegDecoderMatchesLibjpeg() {
        Tensor ref = Npy.read(MediaGolden.file("preprocess/image_1_decoded_rgb.npy"));
        Image8 ours = ImageLoader.decodeRgb(MediaGolden.file("inputs/image_1.jpg"));
        assertArrayEquals(new long[] {ours.height(), ours.width(), 3}, ref.shape());
        int maxDiff = 0;
        long differing = 0;
        byte[] d = ours.data();
        for (int i = 0; i < d.length; i++) {
            int diff = Math.abs((d[i] & 0xFF) - (int) ref.getLong(i));
            if (diff != 0) differing++;
            maxDiff = Math.max(maxDiff, diff);
        }
        System.out.println("image_1.jpg decode vs Pillow/libjpeg: max diff " + maxDiff + ", differing samples " + differing);
        assertEquals(0, maxDiff);
    }

    @Test
    void transformFromLibjpegPixelsMatchesReference() {
        Image8 rgb = fromNpy(Npy.read(MediaGolden.file("preprocess/image_1_decoded_rgb.npy")));
        float[] ours = VisionTransform.apply(rgb);
        float d = MediaGolden.maxAbsDiff(ours, 0, GOLDEN, N, N);
        System.out.println("image_1 transform (from Pillow's pixels) max abs diff: " + d);
        assertTrue(d <= 1e-6f, "max abs diff " + d);
    }

    @Test
    void jpegEndToEndMatchesReference() {
        float[] ours = new ImageLoader().load(MediaGolden.file("inputs/image_1.jpg")).toFloatArray();
        float d = MediaGolden.maxAbsDiff(ours, 0, GOLDEN, N, N);
        System.out.println("image_1.jpg end-to-end max abs diff vs vision.npy[1]: " + d);
        assertTrue(d <= 1e-4f, "max abs diff " + d);
    }

    static Image8 fromNpy(Tensor t) {
        int h = (int) t.dim(0), w = (int) t.dim(1), c = (int) t.dim(2);
        byte[] b = new byte[h * w * c];
        for (int i = 0; i < b.length; i++) b[i] = (byte) t.getLong(i);
        return new Image8(w, h, c, b);
    }
}
