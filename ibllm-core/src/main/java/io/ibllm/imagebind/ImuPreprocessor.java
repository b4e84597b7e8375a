package io.ibllm.imagebind;

import io.ibllm.tensor.Tensor;
import java.util.Arrays;

/**
 * IMU stem: {@code x.unfold(-1, k, k).permute(0, 2, 1, 3).reshape(B, windows, 6k)} (feature
 * index = channel*k + time), a bias-free Linear(6k → D), LayerNorm (eps 1e-5), cls token and
 * learned positions (never resized).
 */
final class ImuPreprocessor implements Preprocessor {
    static final int CHANNELS = 6;
    private final Linear proj;
    private final LayerNorm norm;
    private final float[] cls;
    private final float[] pos;
    private final int kernel;
    private final int dim;

    private ImuPreprocessor(Linear proj, LayerNorm norm, float[] cls, float[] pos, int kernel, int dim) {
        this.proj = proj;
        this.norm = norm;
        this.cls = cls;
        this.pos = pos;
        this.kernel = kernel;
        this.dim = dim;
    }

    static ImuPreprocessor load(Weights w, ImageBindConfig c, int dim) {
        String p = "modality_preprocessors.imu.";
        String key = p + "imu_stem.proj.weight";
        long[] ws = w.peekShape(key);
        if (ws.length != 2 || ws[1] % CHANNELS != 0) throw w.error("tensor " + key + " has shape " + Arrays.toString(ws) + ", expected [D,6k]");
        int k = (int) (ws[1] / CHANNELS);
        c.checkInferred("imu_kernel_size", k, key + " " + Arrays.toString(ws));
        Linear proj = Linear.load(w, p + "imu_stem.proj", dim, CHANNELS * k, false);
        long[] ps = w.peekShape(p + "pos_embed");
        if (ps.length != 3 || ps[1] < 2) throw w.error("tensor " + p + "pos_embed has shape " + Arrays.toString(ps) + ", expected [1,windows+1,D]");
        float[] pos = w.vector(p + "pos_embed", 1, ps[1], dim);
        LayerNorm norm = LayerNorm.load(w, p + "imu_stem.norm_layer", dim, LayerNorm.EPS_TORCH_DEFAULT);
        return new ImuPreprocessor(proj, norm, w.vector(p + "cls_token", 1, 1, dim), pos, k, dim);
    }

    @Override public int dim() { return dim; }

    @Override
    public Tokens apply(Tensor x) {
        int windows = pos.length / dim - 1;
        if (x.rank() != 3 || x.dim(1) != CHANNELS || x.dim(2) / kernel != windows) {
            throw Preprocessor.badInput(Modality.IMU, x, "[B,6," + windows * kernel + "] (" + windows + " windows of " + kernel + ")");
        }
        int b = Preprocessor.size(x, 0), len = Preprocessor.size(x, 2);
        float[] data = x.toFloatArray();
        int feat = CHANNELS * kernel;
        float[] patches = new float[b * windows * feat];
        for (int i = 0; i < b; i++) {
            for (int wi = 0; wi < windows; wi++) {
                for (int ch = 0; ch < CHANNELS; ch++) {
                    System.arraycopy(data, (i * CHANNELS + ch) * len + wi * kernel, patches, (i * windows + wi) * feat + ch * kernel, kernel);
                }
            }
        }
        float[] tokens = proj.apply(patches, b * windows);
        norm.apply(tokens, tokens, b * windows);
        return Tokens.withClassToken(tokens, b, windows, dim, cls, pos);
    }
}
