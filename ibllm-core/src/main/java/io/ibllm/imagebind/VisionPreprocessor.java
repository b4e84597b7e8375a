package io.ibllm.imagebind;

import io.ibllm.tensor.Tensor;
import java.util.Arrays;

/**
 * Images and video clips: PadIm2Video(repeat, ntimes=2) turns an image [3,H,W] into a 2-frame
 * clip, a bias-free Conv3d with kernel = stride = kernel_size makes the patches, then the cls
 * token is prepended and the learned position table added (bicubically resized when the patch
 * count differs from the table's, as the reference does). No stem norm.
 */
final class VisionPreprocessor implements Preprocessor {
    static final int IMAGE_SIZE = 224;
    private static final int NTIMES = 2;
    private final PatchConv stem;
    private final float[] cls;
    private final float[] pos;
    private final int[] layout;
    private final int dim;

    private VisionPreprocessor(PatchConv stem, float[] cls, float[] pos, int[] layout, int dim) {
        this.stem = stem;
        this.cls = cls;
        this.pos = pos;
        this.layout = layout;
        this.dim = dim;
    }

    static VisionPreprocessor load(Weights w, ImageBindConfig c, int dim) {
        String p = "modality_preprocessors.vision.";
        String key = p + "rgbt_stem.proj.1.weight";
        long[] ws = w.peekShape(key);
        if (ws.length != 5) throw w.error("tensor " + key + " has shape " + Arrays.toString(ws) + ", expected [D,3,kt,kh,kw]");
        int[] k = {(int) ws[2], (int) ws[3], (int) ws[4]};
        c.checkInferred("kernel_size", k, key + " " + Arrays.toString(ws));
        PatchConv conv = new PatchConv(w.take(key, dim, 3, k[0], k[1], k[2]), 3, k, k);
        int frames = c.integer("video_frames");
        int[] layout = conv.grid(frames, IMAGE_SIZE, IMAGE_SIZE);
        int tokens = layout[0] * layout[1] * layout[2] + 1;
        String posKey = p + "pos_embedding_helper.pos_embed";
        long[] ps = w.peekShape(posKey);
        if (ps.length != 3 || ps[1] != tokens) {
            throw w.error("tensor " + posKey + " has shape " + Arrays.toString(ps) + " but video_frames=" + frames
                    + " and kernel " + Arrays.toString(k) + " (from " + c.describe() + ") give " + tokens + " tokens");
        }
        float[] pos = w.vector(posKey, 1, tokens, dim);
        float[] cls = w.vector(p + "cls_token", 1, 1, dim);
        return new VisionPreprocessor(conv, cls, pos, layout, dim);
    }

    @Override public int dim() { return dim; }

    @Override
    public Tokens apply(Tensor x) {
        boolean image = x.rank() == 4;
        if ((!image && x.rank() != 5) || x.dim(1) != 3) throw Preprocessor.badInput(Modality.VISION, x, "[B,3,H,W] or [B,3,T,H,W]");
        int b = Preprocessor.size(x, 0), t = image ? 1 : Preprocessor.size(x, 2);
        int h = Preprocessor.size(x, -2), wd = Preprocessor.size(x, -1);
        float[] data = x.toFloatArray();
        if (t == 1) {
            data = repeatFrame(data, b * 3, h * wd);
            t = NTIMES;
        }
        int[] g = stem.grid(t, h, wd);
        int patches = g[0] * g[1] * g[2];
        if (patches == 0) throw Preprocessor.badInput(Modality.VISION, x, "frames/height/width at least the kernel size");
        float[] tokens = stem.apply(data, b, t, h, wd);
        return Tokens.withClassToken(tokens, b, patches, dim, cls, positions(patches, image, x));
    }

    /** PadIm2Video "repeat": each [H*W] plane of a 1-frame clip twice. */
    private static float[] repeatFrame(float[] x, int planes, int plane) {
        float[] out = new float[Math.multiplyExact(x.length, NTIMES)];
        for (int p = 0; p < planes; p++) {
            for (int r = 0; r < NTIMES; r++) System.arraycopy(x, p * plane, out, (p * NTIMES + r) * plane, plane);
        }
        return out;
    }

    /** The position table for {@code patches} tokens (interpolate_pos_encoding of the reference). */
    private float[] positions(int patches, boolean image, Tensor x) {
        int n = layout[0] * layout[1] * layout[2];
        if (patches == n) return pos;
        if (layout[1] != layout[2]) throw Preprocessor.badInput(Modality.VISION, x, "the table's patch layout (no interpolation of non-square layouts)");
        if (layout[0] != 1 && !image) throw Preprocessor.badInput(Modality.VISION, x, "the table's patch count " + n + " (temporal interpolation is not supported)");
        int src = layout[1] * layout[2];
        int side = layout[1];
        float[] grid = Arrays.copyOfRange(pos, dim, dim + src * dim);
        float[] resized = PosEmbedInterpolation.resize(grid, side, dim, Math.sqrt((double) patches / src));
        if (resized.length != patches * dim) {
            throw Preprocessor.badInput(Modality.VISION, x, "a square patch grid (the position table can only be resized to one)");
        }
        float[] out = new float[(patches + 1) * dim];
        System.arraycopy(pos, 0, out, 0, dim);
        System.arraycopy(resized, 0, out, dim, resized.length);
        return out;
    }
}
