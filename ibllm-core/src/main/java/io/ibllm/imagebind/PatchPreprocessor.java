package io.ibllm.imagebind;

import io.ibllm.tensor.Tensor;
import java.util.Arrays;

/**
 * Audio, depth and thermal stems: a 1-channel bias-free Conv2d (audio: kernel 16 stride 10 over
 * the log-mel image; depth/thermal: kernel = stride), the stem LayerNorm (eps 1e-5, PyTorch
 * default), cls token, learned positions. The reference cannot resize these position tables
 * (audio's layout is not square, and its temporal branch fails for 2-D layouts), so the input
 * must give the table's patch count.
 */
final class PatchPreprocessor implements Preprocessor {
    private final Modality modality;
    private final PatchConv stem;
    private final LayerNorm norm;
    private final float[] cls;
    private final float[] pos;
    private final int dim;

    private PatchPreprocessor(Modality modality, PatchConv stem, LayerNorm norm, float[] cls, float[] pos, int dim) {
        this.modality = modality;
        this.stem = stem;
        this.norm = norm;
        this.cls = cls;
        this.pos = pos;
        this.dim = dim;
    }

    /** Depth or thermal: kernel = stride, table for 224x224 inputs. */
    static PatchPreprocessor loadImageLike(Weights w, ImageBindConfig c, Modality m, String stemName, int dim) {
        String key = "modality_preprocessors." + m.key() + "." + stemName + ".proj.weight";
        int k = squareKernel(w, key);
        c.checkInferred(m.key() + "_kernel_size", k, key + " " + Arrays.toString(w.peekShape(key)));
        return load(w, c, m, stemName, dim, k, k, VisionPreprocessor.IMAGE_SIZE, VisionPreprocessor.IMAGE_SIZE, "kernel " + k);
    }

    /** Audio: kernel from the tensor, stride and mel/frames geometry from the config. */
    static PatchPreprocessor loadAudio(Weights w, ImageBindConfig c, int dim) {
        String key = "modality_preprocessors.audio.rgbt_stem.proj.weight";
        int k = squareKernel(w, key);
        c.checkInferred("audio_kernel_size", k, key + " " + Arrays.toString(w.peekShape(key)));
        int s = c.integer("audio_stride"), mel = c.integer("audio_num_mel_bins"), len = c.integer("audio_target_len");
        return load(w, c, Modality.AUDIO, "rgbt_stem", dim, k, s, mel, len,
                "audio_num_mel_bins=" + mel + ", audio_target_len=" + len + ", audio_stride=" + s + ", kernel " + k);
    }

    private static int squareKernel(Weights w, String key) {
        long[] s = w.peekShape(key);
        if (s.length != 4 || s[1] != 1 || s[2] != s[3]) {
            throw w.error("tensor " + key + " has shape " + Arrays.toString(s) + ", expected [D,1,k,k]");
        }
        return (int) s[2];
    }

    private static PatchPreprocessor load(Weights w, ImageBindConfig c, Modality m, String stemName, int dim,
                                          int k, int stride, int height, int width, String geometry) {
        String p = "modality_preprocessors." + m.key() + ".";
        PatchConv conv = new PatchConv(w.take(p + stemName + ".proj.weight", dim, 1, k, k), 1, new int[] {1, k, k},
                new int[] {1, stride, stride});
        int[] g = conv.grid(1, height, width);
        int tokens = g[1] * g[2] + 1;
        String posKey = p + "pos_embedding_helper.pos_embed";
        long[] ps = w.peekShape(posKey);
        if (ps.length != 3 || ps[1] != tokens) {
            throw w.error("tensor " + posKey + " has shape " + Arrays.toString(ps) + " but " + geometry + " (from "
                    + c.describe() + ") give " + tokens + " tokens");
        }
        LayerNorm norm = LayerNorm.load(w, p + stemName + ".norm_layer", dim, LayerNorm.EPS_TORCH_DEFAULT);
        return new PatchPreprocessor(m, conv, norm, w.vector(p + "cls_token", 1, 1, dim), w.vector(posKey, 1, tokens, dim), dim);
    }

    @Override public int dim() { return dim; }

    @Override
    public Tokens apply(Tensor x) {
        int table = pos.length / dim - 1;
        if (x.rank() != 4 || x.dim(1) != 1) throw Preprocessor.badInput(modality, x, "[B,1,H,W]");
        int b = Preprocessor.size(x, 0), h = Preprocessor.size(x, 2), wd = Preprocessor.size(x, 3);
        int[] g = stem.grid(1, h, wd);
        if (g[1] * g[2] != table) {
            throw Preprocessor.badInput(modality, x, "a size giving " + table + " patches like the position table (it cannot be resized)");
        }
        float[] tokens = stem.apply(x.toFloatArray(), b, 1, h, wd);
        norm.apply(tokens, tokens, b * table);
        return Tokens.withClassToken(tokens, b, table, dim, cls, pos);
    }
}
