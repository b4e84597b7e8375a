package io.ibllm.train;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.io.Npy;
import io.ibllm.media.image.Image8;
import io.ibllm.media.image.ImageLoader;
import io.ibllm.train.data.TrainTransform;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The deterministic train transform reproduces the golden batch images (imgs.npy). */
class TrainTransformTest {
    @Test
    void deterministicBoxesAsTorchvision() {
        assertEquals(new TrainTransform.Box(0, 16, 200, 267), TrainTransform.deterministicBox(300, 200));
        assertEquals(new TrainTransform.Box(0, 0, 340, 255), TrainTransform.deterministicBox(255, 341));
        assertEquals(new TrainTransform.Box(0, 0, 100, 100), TrainTransform.deterministicBox(100, 100));
    }

    @Test
    void imagesOfTheGoldenBatch() {
        float[] ref = Npy.read(TrainGoldenTest.golden("train/stage1/imgs.npy")).toFloatArray();
        String[] files = {"inputs/image_0.png", "inputs/image_1.jpg"};
        int n = 3 * 224 * 224;
        for (int i = 0; i < files.length; i++) {
            Image8 rgb = ImageLoader.decodeRgb(TrainGoldenTest.golden(files[i]));
            float[] got = TrainTransform.apply(rgb, TrainTransform.deterministicBox(rgb.width(), rgb.height()));
            double max = 0;
            for (int j = 0; j < n; j++) max = Math.max(max, Math.abs(got[j] - ref[i * n + j]));
            assertTrue(max <= 1e-5, files[i] + ": max abs error " + max);
        }
    }

    @Test
    void randomBoxesStayInsideAndFollowTheSeed() {
        Random a = new Random(3), b = new Random(3);
        for (int k = 0; k < 100; k++) {
            TrainTransform.Box x = TrainTransform.randomBox(300, 200, a);
            assertEquals(x, TrainTransform.randomBox(300, 200, b));
            assertTrue(x.top() >= 0 && x.left() >= 0 && x.top() + x.height() <= 200 && x.left() + x.width() <= 300);
            double area = (double) x.width() * x.height() / (300.0 * 200.0);
            assertTrue(area >= 0.85 && area <= 1.0, "area fraction " + area);
        }
    }
}
