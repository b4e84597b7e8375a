package io.ibllm.media.video;

import io.ibllm.media.image.Image8;
import io.ibllm.media.image.VisionTransform;
import java.util.List;

/**
 * The reference's per-clip video transform, float32 throughout: frames / 255, pytorchvideo
 * {@code ShortSideScale(224)} (torch bilinear interpolate, align_corners=False, no antialias;
 * long side floor(long / short * 224)), {@code NormalizeVideo} (CLIP mean/std) and ImageBind's
 * {@code SpatialCrop(224, 3)}: crops at offset 0, ceil((L - 224) / 2) and L - 224 along the long
 * side (top/centre/bottom for portrait), centred on the short side.
 */
public final class VideoTransform {
    public static final int SIZE = VisionTransform.SIZE;

    private VideoTransform() {}

    /** Three crops, each [3, T, 224, 224] channel-major, from T RGB frames of one clip. */
    public static float[][] apply(List<Image8> frames) {
        int h = frames.get(0).height(), w = frames.get(0).width(), t = frames.size();
        int[] size = scaledSize(w, h);
        int outW = size[0], outH = size[1];
        Axis ax = Axis.of(w, outW), ay = Axis.of(h, outH);
        float[] scaled = new float[3 * t * outH * outW]; // [C, T, H, W]
        float[] plane = new float[h * w];
        for (int c = 0; c < 3; c++) {
            for (int f = 0; f < t; f++) {
                byte[] d = frames.get(f).data();
                for (int i = 0; i < h * w; i++) plane[i] = (d[i * 3 + c] & 0xFF) / 255f;
                int base = (c * t + f) * outH * outW;
                bilinear(plane, w, ax, ay, scaled, base, outW);
                for (int i = 0; i < outH * outW; i++) {
                    scaled[base + i] = (scaled[base + i] - VisionTransform.MEAN[c]) / VisionTransform.STD[c];
                }
            }
        }
        float[][] crops = new float[3][];
        for (int k = 0; k < 3; k++) crops[k] = crop(scaled, t, outW, outH, k);
        return crops;
    }

    /** pytorchvideo short_side_scale: (new width, new height). */
    public static int[] scaledSize(int w, int h) {
        if (w < h) return new int[] {SIZE, (int) Math.floor((double) h / w * SIZE)};
        return new int[] {(int) Math.floor((double) w / h * SIZE), SIZE};
    }

    /**
     * Source indices and weights of one axis as torch 1.13's upsample_bilinear2d computes them:
     * scale = (float) in / out, source index (scale * (o + 0.5) - 0.5) in double, clamped at 0,
     * lambda1 = its fraction rounded to float, lambda0 = 1 - lambda1 in float (bit-exact to the
     * golden clip; a float index or a double scale is not).
     */
    record Axis(int[] i0, int[] i1, float[] l0, float[] l1) {
        static Axis of(int in, int out) {
            int[] i0 = new int[out], i1 = new int[out];
            float[] l0 = new float[out], l1 = new float[out];
            float scale = (float) in / out;
            for (int o = 0; o < out; o++) {
                if (in == out) {
                    i0[o] = i1[o] = o;
                    l0[o] = 1;
                    continue;
                }
                double src = Math.max(0.0, scale * (o + 0.5) - 0.5); // float scale, double index
                i0[o] = (int) src;
                i1[o] = i0[o] + (i0[o] < in - 1 ? 1 : 0);
                l1[o] = (float) Math.min(Math.max(src - i0[o], 0.0), 1.0);
                l0[o] = 1f - l1[o];
            }
            return new Axis(i0, i1, l0, l1);
        }
    }

    private static void bilinear(float[] in, int w, Axis ax, Axis ay, float[] out, int base, int outW) {
        for (int y = 0; y < ay.i0.length; y++) {
            int r0 = ay.i0[y] * w, r1 = ay.i1[y] * w;
            float wy0 = ay.l0[y], wy1 = ay.l1[y];
            for (int x = 0; x < outW; x++) {
                int c0 = ax.i0[x], c1 = ax.i1[x];
                float wx0 = ax.l0[x], wx1 = ax.l1[x];
                // torch's AVX2 kernel evaluates t0 * w0 + t1 * w1 as fma(t0, w0, t1 * w1)
                float t0 = Math.fma(in[r0 + c0], wx0, in[r0 + c1] * wx1);
                float t1 = Math.fma(in[r1 + c0], wx0, in[r1 + c1] * wx1);
                out[base + y * outW + x] = Math.fma(t0, wy0, t1 * wy1);
            }
        }
    }

    /** uniform_crop(spatial_idx k) of ImageBind's data.py on [C, T, H, W]. */
    private static float[] crop(float[] x, int t, int w, int h, int k) {
        int yOff = (int) Math.ceil((h - SIZE) / 2.0), xOff = (int) Math.ceil((w - SIZE) / 2.0);
        if (h > w) yOff = k == 0 ? 0 : k == 2 ? h - SIZE : yOff;
        else xOff = k == 0 ? 0 : k == 2 ? w - SIZE : xOff;
        float[] out = new float[3 * t * SIZE * SIZE];
        for (int p = 0; p < 3 * t; p++) {
            for (int y = 0; y < SIZE; y++) {
                System.arraycopy(x, (p * h + yOff + y) * w + xOff, out, (p * SIZE + y) * SIZE, SIZE);
            }
        }
        return out;
    }
}
