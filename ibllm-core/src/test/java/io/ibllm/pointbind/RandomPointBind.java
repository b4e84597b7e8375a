package io.ibllm.pointbind;

import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** A Point-Bind checkpoint of any size with random weights (the key layout of spec §7.4), in memory. */
final class RandomPointBind {
    private final Map<String, Tensor> m = new LinkedHashMap<>();
    private final Random r;

    private RandomPointBind(long seed) { r = new Random(seed); }

    static EditedTensorFile checkpoint(PointBertConfig c, int out, long seed) {
        RandomPointBind b = new RandomPointBind(seed);
        String e = "point_trunk.point_encoder.";
        int t = c.transDim();
        b.put(e + "cls_token", 0.5, 1, 1, t);
        b.put(e + "cls_pos", 0.5, 1, 1, t);
        b.conv(e + "encoder.first_conv.0", 128, 3);
        b.batchNorm(e + "encoder.first_conv.1", 128);
        b.conv(e + "encoder.first_conv.3", 256, 128);
        b.conv(e + "encoder.second_conv.0", 512, 512);
        b.batchNorm(e + "encoder.second_conv.1", 512);
        b.conv(e + "encoder.second_conv.3", c.encoderDims(), 512);
        b.linear(e + "reduce_dim", t, c.encoderDims());
        b.linear(e + "pos_embed.0", 128, 3);
        b.linear(e + "pos_embed.2", t, 128);
        for (int i = 0; i < c.depth(); i++) {
            String p = e + "blocks.blocks." + i + ".";
            b.norm(p + "norm1", t);
            b.put(p + "attn.qkv.weight", 1 / Math.sqrt(t), 3L * t, t);
            b.linear(p + "attn.proj", t, t);
            b.norm(p + "norm2", t);
            b.linear(p + "mlp.fc1", 4 * t, t);
            b.linear(p + "mlp.fc2", t, 4 * t);
        }
        b.norm(e + "norm", t);
        b.put("point_trunk.pc_projection", 1 / Math.sqrt(2 * t), 2L * t, 512);
        b.norm("modality_heads.point.0", 512);
        b.put("modality_heads.point.2.weight", 1 / Math.sqrt(512), out, 512);
        b.m.put("modality_postprocessors.point.1.log_logit_scale", Tensor.f32(new float[] {0f}));
        return new EditedTensorFile(Path.of("random-pointbind"), b.m);
    }

    private void put(String key, double scale, long... shape) {
        float[] v = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * scale);
        m.put(key, Tensor.f32(v, shape));
    }

    private void conv(String p, int out, int in) {
        put(p + ".weight", 1 / Math.sqrt(in), out, in, 1);
        put(p + ".bias", 0.05, out);
    }

    private void linear(String p, int out, int in) {
        put(p + ".weight", 1 / Math.sqrt(in), out, in);
        put(p + ".bias", 0.05, out);
    }

    private void norm(String p, int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) w[i] = 1f + 0.1f * (float) r.nextGaussian();
        m.put(p + ".weight", Tensor.f32(w, n));
        put(p + ".bias", 0.05, n);
    }

    private void batchNorm(String p, int n) {
        norm(p, n);
        put(p + ".running_mean", 0.1, n);
        float[] var = new float[n];
        for (int i = 0; i < n; i++) var[i] = 0.5f + r.nextFloat();
        m.put(p + ".running_var", Tensor.f32(var, n));
        m.put(p + ".num_batches_tracked", Tensor.allocate(DType.I64));
    }
}
