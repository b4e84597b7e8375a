package io.ibllm.imagebind;

import io.ibllm.tensor.Ops;
import io.ibllm.tensor.Parallel;
import io.ibllm.tensor.Tensor;

/**
 * A bias-free Conv2d/Conv3d without padding (the ImageBind patch stems) computed as im2col +
 * GEMM: each output position becomes a row of its receptive field in the weight's
 * (c, t, h, w) order, and the rows are multiplied with the weight viewed as [D, C·kt·kh·kw].
 * Output tokens are the positions flattened row-major (t, h, w), as the reference's
 * {@code x.flatten(2).transpose(1, 2)}.
 */
public final class PatchConv {
    private final Tensor weight;
    private final int channels;
    private final int[] kernel;
    private final int[] stride;

    /** @param kernel and stride are [t, h, w] (t = 1 for a 2-D convolution) */
    PatchConv(Tensor weight, int channels, int[] kernel, int[] stride) {
        this.channels = channels;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.weight = weight.reshape(weight.dim(0), (long) channels * kernel[0] * kernel[1] * kernel[2]);
    }

    public int outChannels() { return (int) weight.dim(0); }

    /** Output positions [t, h, w] for an input of frames x height x width (0 if it is smaller than the kernel). */
    public int[] grid(int frames, int height, int width) {
        int[] in = {frames, height, width};
        int[] g = new int[3];
        for (int i = 0; i < 3; i++) g[i] = in[i] < kernel[i] ? 0 : (in[i] - kernel[i]) / stride[i] + 1;
        return g;
    }

    /** Patch tokens [batch * positions, D] of x [batch, C, frames, height, width]. */
    public float[] apply(float[] x, int batch, int frames, int height, int width) {
        int[] g = grid(frames, height, width);
        int positions = g[0] * g[1] * g[2];
        int k = channels * kernel[0] * kernel[1] * kernel[2];
        int rows = Math.multiplyExact(batch, positions);
        float[] cols = new float[Math.multiplyExact(rows, k)];
        Parallel.forRange(rows, (s, e) -> {
            for (int r = s; r < e; r++) im2colRow(x, r / positions, r % positions, g, frames, height, width, cols, r * k);
        });
        float[] out = new float[Math.multiplyExact(rows, outChannels())];
        Ops.encoderLinear(weight, null, cols, rows, out);
        return out;
    }

    private void im2colRow(float[] x, int b, int pos, int[] g, int frames, int height, int width, float[] cols, int off) {
        int t0 = pos / (g[1] * g[2]) * stride[0];
        int h0 = pos / g[2] % g[1] * stride[1];
        int w0 = pos % g[2] * stride[2];
        int i = off;
        for (int c = 0; c < channels; c++) {
            for (int dt = 0; dt < kernel[0]; dt++) {
                long plane = (((long) b * channels + c) * frames + t0 + dt) * height;
                for (int dh = 0; dh < kernel[1]; dh++) {
                    int src = (int) ((plane + h0 + dh) * width + w0);
                    System.arraycopy(x, src, cols, i, kernel[2]);
                    i += kernel[2];
                }
            }
        }
    }
}
