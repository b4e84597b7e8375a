package io.ibllm.media.image;

/**
 * The reference's image transform (ImageBind data.py): torchvision {@code Resize(224, BICUBIC)}
 * on the PIL image, {@code CenterCrop(224)}, {@code ToTensor()}, {@code Normalize(CLIP mean/std)}.
 * All arithmetic after the resize is float32, in the reference's order.
 */
public final class VisionTransform {
    public static final int SIZE = 224;
    public static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    public static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private VisionTransform() {}

    /** [3, 224, 224] channel-major floats from an RGB image of any size. */
    public static float[] apply(Image8 rgb) {
        Image8 cropped = resizeAndCrop(rgb);
        int n = SIZE * SIZE;
        float[] out = new float[3 * n];
        byte[] d = cropped.data();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                float x = (d[i * 3 + c] & 0xFF) / 255f;
                out[c * n + i] = (x - MEAN[c]) / STD[c];
            }
        }
        return out;
    }

    /** Short side to 224 (PIL bicubic), then the centred 224 x 224 window. */
    public static Image8 resizeAndCrop(Image8 img) {
        int[] size = resizedSize(img.width(), img.height(), SIZE);
        Image8 r = PilResample.resize(img, size[0], size[1]);
        return crop(r, centreOffset(r.width(), SIZE), centreOffset(r.height(), SIZE), SIZE);
    }

    /** torchvision Resize(int): short side -> size, long side -> int(size * long / short). */
    public static int[] resizedSize(int w, int h, int size) {
        if (w <= h) return new int[] {size, (int) ((double) size * h / w)};
        return new int[] {(int) ((double) size * w / h), size};
    }

    /** torchvision CenterCrop offset int(round((len - size) / 2)), Python's round half to even. */
    public static int centreOffset(int len, int size) {
        return (int) Math.rint((len - size) / 2.0);
    }

    static Image8 crop(Image8 img, int left, int top, int size) {
        int ch = img.channels();
        byte[] out = new byte[size * size * ch];
        for (int y = 0; y < size; y++) {
            System.arraycopy(img.data(), ((top + y) * img.width() + left) * ch, out, y * size * ch, size * ch);
        }
        return new Image8(size, size, ch, out);
    }
}
