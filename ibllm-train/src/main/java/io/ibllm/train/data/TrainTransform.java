package io.ibllm.train.data;

import io.ibllm.media.image.Image8;
import io.ibllm.media.image.PilResample;
import io.ibllm.media.image.VisionTransform;
import java.util.Random;

/**
 * The reference's train transform: RandomResizedCrop(224, scale (0.9, 1), ratio (3/4, 4/3),
 * PIL bicubic), ToTensor, CLIP Normalize. The random box follows torchvision's get_params
 * with a seeded generator; {@link #deterministicBox} is torchvision's own fallback box (the
 * whole image with its aspect ratio clamped, centred), used by {@code --no-augment}.
 */
public final class TrainTransform {
    public static final double SCALE_MIN = 0.9;
    public static final double SCALE_MAX = 1.0;
    public static final double RATIO_MIN = 0.75;
    public static final double RATIO_MAX = 1.3333;

    /** A crop box in pixels. */
    public record Box(int top, int left, int height, int width) {}

    private TrainTransform() {}

    public static Box deterministicBox(int w, int h) {
        double inRatio = (double) w / h;
        int cw = w, ch = h;
        if (inRatio < RATIO_MIN) ch = (int) Math.rint(cw / RATIO_MIN);
        else if (inRatio > RATIO_MAX) cw = (int) Math.rint(ch * RATIO_MAX);
        return new Box((h - ch) / 2, (w - cw) / 2, ch, cw);
    }

    /** torchvision RandomResizedCrop.get_params: 10 random attempts, then the fallback box. */
    public static Box randomBox(int w, int h, Random rng) {
        double area = (double) w * h;
        double logMin = Math.log(RATIO_MIN), logMax = Math.log(RATIO_MAX);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (SCALE_MIN + (SCALE_MAX - SCALE_MIN) * rng.nextDouble());
            double aspect = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
            int cw = (int) Math.rint(Math.sqrt(target * aspect));
            int ch = (int) Math.rint(Math.sqrt(target / aspect));
            if (cw > 0 && cw <= w && ch > 0 && ch <= h) {
                return new Box(rng.nextInt(h - ch + 1), rng.nextInt(w - cw + 1), ch, cw);
            }
        }
        return deterministicBox(w, h);
    }

    /** [3, 224, 224] normalised floats: crop the box, PIL-bicubic resize to 224 x 224, normalise. */
    public static float[] apply(Image8 rgb, Box box) {
        Image8 resized = PilResample.resize(crop(rgb, box), VisionTransform.SIZE, VisionTransform.SIZE);
        return VisionTransform.apply(resized);
    }

    static Image8 crop(Image8 img, Box b) {
        if (b.top() < 0 || b.left() < 0 || b.top() + b.height() > img.height() || b.left() + b.width() > img.width()) {
            throw new IllegalArgumentException("crop box " + b + " outside a " + img.width() + "x" + img.height() + " image");
        }
        int ch = img.channels();
        byte[] out = new byte[b.width() * b.height() * ch];
        for (int y = 0; y < b.height(); y++) {
            System.arraycopy(img.data(), ((b.top() + y) * img.width() + b.left()) * ch, out, y * b.width() * ch, b.width() * ch);
        }
        return new Image8(b.width(), b.height(), ch, out);
    }
}
