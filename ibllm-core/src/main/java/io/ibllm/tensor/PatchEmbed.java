package io.ibllm.tensor;

/**
 * Patch-embedding convolutions (Conv2d/Conv3d without padding, as ImageBind's stems) as one GEMM:
 * im2col gathers each output position's receptive field into a row ordered (c, kt, kh, kw) like
 * the flattened PyTorch weight [out, in, kt, kh, kw], then weight · patchesᵀ.
 */
final class PatchEmbed {
    private PatchEmbed() {}

    /** Kernel and output geometry of one convolution. */
    record Geometry(int c, int t, int h, int w, int kt, int kh, int kw, int st, int sh, int sw) {
        int ot() { return (t - kt) / st + 1; }
        int oh() { return (h - kh) / sh + 1; }
        int ow() { return (w - kw) / sw + 1; }
        int patches() { return ot() * oh() * ow(); }
        int k() { return c * kt * kh * kw; }
    }

    static Geometry geometry(Tensor weight, int c, int t, int h, int w, int st, int sh, int sw) {
        long[] s = weight.shape();
        boolean conv3d = s.length == 5;
        if (!conv3d && s.length != 4) {
            throw new IllegalArgumentException("patch-embedding weight must be [out, in, kh, kw] or [out, in, kt, kh, kw], got " + weight.shapeString());
        }
        if (s[1] != c) throw new IllegalArgumentException("patch-embedding weight " + weight.shapeString() + " expects " + s[1] + " input channels, got " + c);
        int kt = conv3d ? (int) s[2] : 1, kh = (int) s[s.length - 2], kw = (int) s[s.length - 1];
        Geometry g = new Geometry(c, t, h, w, kt, kh, kw, conv3d ? st : 1, sh, sw);
        if (t < kt || h < kh || w < kw || st < 1 || sh < 1 || sw < 1) {
            throw new IllegalArgumentException("patch-embedding input [" + c + ", " + t + ", " + h + ", " + w
                    + "] smaller than kernel " + weight.shapeString() + " or bad stride");
        }
        return g;
    }

    /** patches[p, (c, kt, kh, kw)] for output positions p in row-major (T', H', W'). */
    static float[] im2col(float[] x, Geometry g) {
        int k = g.k();
        float[] p = new float[g.patches() * k];
        int row = 0;
        for (int ot = 0; ot < g.ot(); ot++) {
            for (int oh = 0; oh < g.oh(); oh++) {
                for (int ow = 0; ow < g.ow(); ow++, row++) {
                    int dst = row * k;
                    for (int c = 0; c < g.c(); c++) {
                        for (int dt = 0; dt < g.kt(); dt++) {
                            for (int dh = 0; dh < g.kh(); dh++) {
                                int src = ((c * g.t() + ot * g.st() + dt) * g.h() + oh * g.sh() + dh) * g.w() + ow * g.sw();
                                System.arraycopy(x, src, p, dst, g.kw());
                                dst += g.kw();
                            }
                        }
                    }
                }
            }
        }
        return p;
    }

    /** Conv output [out, T'·H'·W'] (PyTorch's layout flattened per channel), plus bias. */
    static float[] conv(float[] x, Geometry g, Tensor weight, Tensor bias, boolean tokensFirst) {
        if (x.length < (long) g.c() * g.t() * g.h() * g.w()) throw new IllegalArgumentException("patch-embedding input shorter than its shape");
        int out = (int) weight.dim(0), k = g.k(), np = g.patches();
        float[] wf = weight.toFloatArray();
        float[] patches = im2col(x, g);
        float[] y = new float[out * np];
        float[] b = bias == null ? null : bias.toFloatArray();
        if (tokensFirst) {
            Ops.matmulTransB(patches, 0, wf, 0, y, 0, np, out, k);
            if (b != null) for (int p = 0; p < np; p++) Ops.add(y, p * out, b, 0, out);
        } else {
            Ops.matmulTransB(wf, 0, patches, 0, y, 0, out, np, k);
            if (b != null) for (int o = 0; o < out; o++) for (int p = 0; p < np; p++) y[o * np + p] += b[o];
        }
        return y;
    }

    /** Scalar twin: the convolution sum written out directly, [out, T'·H'·W']. */
    static float[] convScalar(float[] x, Geometry g, Tensor weight, Tensor bias) {
        int out = (int) weight.dim(0), np = g.patches();
        float[] y = new float[out * np];
        for (int o = 0; o < out; o++) {
            int p = 0;
            for (int ot = 0; ot < g.ot(); ot++) for (int oh = 0; oh < g.oh(); oh++) for (int ow = 0; ow < g.ow(); ow++, p++) {
                float acc = bias == null ? 0f : bias.getFloat(o);
                int wi = o * g.k();
                for (int c = 0; c < g.c(); c++) for (int dt = 0; dt < g.kt(); dt++) for (int dh = 0; dh < g.kh(); dh++) {
                    for (int dw = 0; dw < g.kw(); dw++, wi++) {
                        int xi = ((c * g.t() + ot * g.st() + dt) * g.h() + oh * g.sh() + dh) * g.w() + ow * g.sw() + dw;
                        acc += weight.getFloat(wi) * x[xi];
                    }
                }
                y[o * np + p] = acc;
            }
        }
        return y;
    }
}
