package io.ibllm.train.nn;

/** y = W2·(silu(W1·x) ⊙ W3·x), each projection a {@link Linear}; saves the two gate inputs. */
public final class SwiGlu {
    private final Linear w1;
    private final Linear w2;
    private final Linear w3;
    private float[] a;
    private float[] c;

    public SwiGlu(Linear w1, Linear w2, Linear w3) {
        this.w1 = w1;
        this.w2 = w2;
        this.w3 = w3;
    }

    public float[] forward(float[] x, int rows) {
        a = w1.forward(x, rows);
        c = w3.forward(x, rows);
        float[] u = new float[a.length];
        for (int i = 0; i < u.length; i++) u[i] = silu(a[i]) * c[i];
        return w2.forward(u, rows);
    }

    public float[] backward(float[] dy, boolean needInputGrad) {
        float[] du = w2.backward(dy, true);
        float[] da = new float[a.length], dc = new float[c.length];
        for (int i = 0; i < du.length; i++) {
            float s = sigmoid(a[i]);
            dc[i] = du[i] * a[i] * s;
            da[i] = du[i] * c[i] * (s * (1f + a[i] * (1f - s)));
        }
        float[] dx1 = w1.backward(da, needInputGrad);
        float[] dx3 = w3.backward(dc, needInputGrad);
        if (!needInputGrad) return null;
        for (int i = 0; i < dx1.length; i++) dx1[i] += dx3[i];
        return dx1;
    }

    static float sigmoid(float z) { return 1f / (1f + (float) Math.exp(-z)); }

    static float silu(float z) { return z * sigmoid(z); }
}
