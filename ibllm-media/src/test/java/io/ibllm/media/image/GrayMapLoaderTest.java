package io.ibllm.media.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.FormatException;
import io.ibllm.io.Npy;
import io.ibllm.media.MediaGolden;
import io.ibllm.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Depth/thermal maps: bit-depth scaling, vision geometry in float, raw .npy tensors. */
class GrayMapLoaderTest {
    @TempDir
    Path dir;
    final GrayMapLoader depth = new GrayMapLoader("depth");

    Path gray(int w, int h, boolean sixteen, java.util.function.IntBinaryOperator value, String ext) throws Exception {
        BufferedImage bi = new BufferedImage(w, h, sixteen ? BufferedImage.TYPE_USHORT_GRAY : BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) bi.getRaster().setSample(x, y, 0, value.applyAsInt(x, y));
        Path f = dir.resolve((sixteen ? "d16_" : "d8_") + w + "x" + h + "." + ext);
        assertTrue(ImageIO.write(bi, ext, f.toFile()));
        return f;
    }

    @Test
    void valuesAreScaledByTheBitDepth() throws Exception {
        float[] a = depth.load(gray(224, 224, true, (x, y) -> x * 292 + y, "png")).toFloatArray();
        for (int y = 0; y < 224; y += 37) for (int x = 0; x < 224; x += 29) assertEquals((x * 292 + y) / 65535f, a[y * 224 + x], 0f);
        float[] b = depth.load(gray(224, 224, false, (x, y) -> (x + y) % 256, "tiff")).toFloatArray();
        for (int y = 0; y < 224; y += 41) for (int x = 0; x < 224; x += 13) assertEquals(((x + y) % 256) / 255f, b[y * 224 + x], 0f);
    }

    @Test
    void geometryIsTheVisionResizeAndCropInFloat() throws Exception {
        // on a smooth map (no overshoot to clamp) the float filter agrees with PIL's 8-bit
        // resampler to within the rounding of its 8-bit intermediate and output
        java.util.function.IntBinaryOperator smooth = (x, y) -> (int) Math.round(128 + 100 * Math.sin(x / 17.0) * Math.cos(y / 29.0));
        Path f = gray(301, 517, false, smooth, "png");
        float[] ours = depth.load(f).toFloatArray();
        Image8 src = new Image8(301, 517, 1, new byte[301 * 517]);
        for (int y = 0; y < 517; y++) for (int x = 0; x < 301; x++) src.data()[y * 301 + x] = (byte) smooth.applyAsInt(x, y);
        Image8 pil = VisionTransform.resizeAndCrop(src);
        float max = 0;
        for (int i = 0; i < ours.length; i++) max = Math.max(max, Math.abs(ours[i] * 255f - (pil.data()[i] & 0xFF)));
        assertTrue(max <= 1.5f, "float path differs from PIL's 8-bit path by " + max + " levels");
        assertArrayEquals(new long[] {1, 224, 224}, depth.load(f).shape());
    }

    @Test
    void rawNpyTensorsPassThroughAndBatchesNeedLoadBatch() {
        Path golden = MediaGolden.file("inputs/depth.npy");
        Tensor batch = depth.loadBatch(golden);
        assertArrayEquals(Npy.read(golden).shape(), batch.shape());
        assertArrayEquals(Npy.read(golden).toFloatArray(), batch.toFloatArray());
        FormatException e = assertThrows(FormatException.class, () -> depth.load(golden));
        assertTrue(e.getMessage().contains("batch of 2"), e.getMessage());
    }

    @Test
    void badNpyTensorsAreRejected() {
        Path nan = dir.resolve("nan.npy"), shape = dir.resolve("shape.npy");
        float[] v = new float[224 * 224];
        v[123] = Float.NaN;
        Npy.writeF32(nan, v, 1, 224, 224);
        Npy.writeF32(shape, new float[3 * 224 * 224], 3, 224, 224);
        assertTrue(assertThrows(FormatException.class, () -> depth.load(nan)).getMessage().contains("NaN"));
        assertTrue(assertThrows(FormatException.class, () -> depth.load(shape)).getMessage().contains("[3, 224, 224]"));
    }

    @Test
    void colourImagesAreRejected() throws Exception {
        Path f = dir.resolve("c.png");
        ImageIO.write(ImageFormatsTest.rgb(ImageFormatsTest.SRC), "png", f.toFile());
        FormatException e = assertThrows(FormatException.class, () -> new GrayMapLoader("thermal").load(f));
        assertTrue(e.getMessage().contains("grayscale thermal"), e.getMessage());
    }
}
