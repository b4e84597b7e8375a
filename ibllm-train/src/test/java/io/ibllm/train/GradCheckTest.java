package io.ibllm.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.tensor.Tensor;
import io.ibllm.train.nn.BindNetworkTrain;
import io.ibllm.train.nn.CausalAttention;
import io.ibllm.train.nn.CrossEntropy;
import io.ibllm.train.nn.Linear;
import io.ibllm.train.nn.RmsNorm;
import io.ibllm.train.nn.Rope;
import io.ibllm.train.nn.SwiGlu;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Every backward against central finite differences on tiny odd shapes. The probe loss is
 * L = Σ r·y for a fixed random r, so dL/dy = r; differences are taken in double over the
 * float32 forward with a step large enough that float32 rounding stays far below tolerance.
 */
class GradCheckTest {
    private static final double H = 1e-2;
    private static final double TOL = 2e-2;
    private final Random rnd = new Random(7);

    private float[] randn(int n, double scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (rnd.nextGaussian() * scale);
        return a;
    }

    private static double dot(float[] r, float[] y) {
        double s = 0;
        for (int i = 0; i < y.length; i++) s += (double) r[i] * y[i];
        return s;
    }

    /** Checks grad[i] ≈ (L(v[i]+h) − L(v[i]−h))/2h for every element of v. */
    private static void check(String what, float[] v, float[] grad, Supplier<Double> loss) {
        double maxErr = 0, maxG = 1e-6;
        for (int i = 0; i < v.length; i++) {
            float old = v[i];
            v[i] = (float) (old + H);
            double lp = loss.get();
            v[i] = (float) (old - H);
            double lm = loss.get();
            v[i] = old;
            double fd = (lp - lm) / (2 * H);
            maxErr = Math.max(maxErr, Math.abs(fd - grad[i]));
            maxG = Math.max(maxG, Math.abs(fd));
        }
        assertTrue(maxErr <= TOL * maxG, what + ": max error " + maxErr + " vs max gradient " + maxG);
    }

    @Test
    void linearWithFrozenWeightBiasAndLora() {
        int rows = 3, in = 7, out = 5, r = 2;
        Tensor w = Tensor.f32(randn(out * in, 0.5), out, in);
        Param b = new Param("b.bias", new long[] {out}, randn(out, 0.5));
        Param a = new Param("a", new long[] {r, in}, randn(r * in, 0.5));
        Param bb = new Param("bb", new long[] {out, r}, randn(out * r, 0.5));
        Linear lin = new Linear(in, out, w, null, b, a, bb);
        float[] x = randn(rows * in, 1), rr = randn(rows * out, 1);
        lin.forward(x, rows);
        float[] dx = lin.backward(rr, true);
        Supplier<Double> l = () -> dot(rr, lin.forward(x, rows));
        check("dx", x, dx, l);
        check("dbias", b.data, b.grad, l);
        check("dA", a.data, a.grad, l);
        check("dB", bb.data, bb.grad, l);
    }

    @Test
    void linearWithTrainableWeight() {
        int rows = 4, in = 5, out = 3;
        Param w = new Param("w", new long[] {out, in}, randn(out * in, 0.5));
        Linear lin = new Linear(in, out, null, w, null, null, null);
        float[] x = randn(rows * in, 1), rr = randn(rows * out, 1);
        lin.forward(x, rows);
        float[] dx = lin.backward(rr, true);
        Supplier<Double> l = () -> dot(rr, lin.forward(x, rows));
        check("dx", x, dx, l);
        check("dW", w.data, w.grad, l);
    }

    @Test
    void rmsNorm() {
        int rows = 3, dim = 9;
        Param w = new Param("n.weight", new long[] {dim}, randn(dim, 1));
        RmsNorm n = new RmsNorm(w, 1e-6f);
        float[] x = randn(rows * dim, 1), rr = randn(rows * dim, 1);
        n.forward(x, rows);
        float[] dx = n.backward(rr);
        Supplier<Double> l = () -> dot(rr, n.forward(x, rows));
        check("dx", x, dx, l);
        check("dw", w.data, w.grad, l);
    }

    @Test
    void swiGlu() {
        int rows = 2, dim = 5, hidden = 7;
        Param p1 = new Param("w1", new long[] {hidden, dim}, randn(hidden * dim, 0.5));
        Param p2 = new Param("w2", new long[] {dim, hidden}, randn(hidden * dim, 0.5));
        Param p3 = new Param("w3", new long[] {hidden, dim}, randn(hidden * dim, 0.5));
        SwiGlu f = new SwiGlu(new Linear(dim, hidden, null, p1, null, null, null),
                new Linear(hidden, dim, null, p2, null, null, null), new Linear(dim, hidden, null, p3, null, null, null));
        float[] x = randn(rows * dim, 1), rr = randn(rows * dim, 1);
        f.forward(x, rows);
        float[] dx = f.backward(rr, true);
        Supplier<Double> l = () -> dot(rr, f.forward(x, rows));
        check("dx", x, dx, l);
        check("dw1", p1.data, p1.grad, l);
        check("dw2", p2.data, p2.grad, l);
        check("dw3", p3.data, p3.grad, l);
    }

    @Test
    void causalAttentionWithRope() {
        int b = 2, t = 5, h = 2, d = 6;
        int n = b * t * h * d;
        Rope rope = new Rope(d, 16, 10000.0);
        float[] q = randn(n, 1), k = randn(n, 1), v = randn(n, 1), rr = randn(n, 1);
        Supplier<float[]> fwd = () -> {
            float[] qq = q.clone(), kk = k.clone();
            rope.apply(qq, b, t, h, 1);
            rope.apply(kk, b, t, h, 1);
            return new CausalAttention(b, t, h, d).forward(qq, kk, v.clone());
        };
        float[] qq = q.clone(), kk = k.clone();
        rope.apply(qq, b, t, h, 1);
        rope.apply(kk, b, t, h, 1);
        CausalAttention att = new CausalAttention(b, t, h, d);
        att.forward(qq, kk, v.clone());
        float[][] g = att.backward(rr);
        rope.apply(g[0], b, t, h, -1);
        rope.apply(g[1], b, t, h, -1);
        Supplier<Double> l = () -> dot(rr, fwd.get());
        check("dq", q, g[0], l);
        check("dk", k, g[1], l);
        check("dv", v, g[2], l);
    }

    @Test
    void crossEntropyIgnoresLabelZero() {
        int b = 2, t = 4, vocab = 6;
        float[] logits = randn(b * t * vocab, 2);
        long[] labels = {0, 3, 0, 5, 0, 0, 2, 1};
        CrossEntropy.Result r = CrossEntropy.forwardBackward(logits, labels, b, t, vocab);
        assertTrue(r.targets() == 4);
        check("dlogits", logits, r.dlogits(), () -> CrossEntropy.forwardBackward(logits, labels, b, t, vocab).loss());
    }

    @Test
    void bindNetworkParameters() {
        int in = 4, dim = 6, hidden = 10, rows = 2;
        Map<String, Param> ps = new HashMap<>();
        BindNetworkTrain net = BindNetworkTrain.of(key -> ps.computeIfAbsent(key, k -> {
            long[] shape = k.contains("proj.weight") ? new long[] {dim, in} : k.contains("proj.bias") || k.contains("norm")
                    ? new long[] {dim} : k.contains("_f2_") ? new long[] {dim, hidden} : new long[] {hidden, dim};
            int size = (int) java.util.Arrays.stream(shape).reduce(1, (a, c) -> a * c);
            float[] init = randn(size, 0.4);
            if (k.contains("norm")) for (int i = 0; i < size; i++) init[i] += 1f;
            return new Param(k, shape, init);
        }), in, dim, hidden);
        float[] f = randn(rows * in, 1), rr = randn(rows * dim, 1);
        net.forward(f, rows);
        net.backward(rr);
        Supplier<Double> l = () -> dot(rr, net.forward(f, rows));
        for (Param p : ps.values()) check(p.name(), p.data, p.grad, l);
    }
}
