package io.ibllm.imagebind;

import io.ibllm.io.PthWriter;
import io.ibllm.io.TensorMap;
import io.ibllm.pointbind.PointBertConfig;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * An in-memory checkpoint with the imagebind_w3D key layout and random weights of any size
 * (benchmarks with the official huge shapes; tests with sizes other than the golden's). Only the
 * requested modalities' tensors are made. Matrices are uniform with variance 1/fan_in, norm
 * weights near 1, the logit scales those of the reference.
 */
public final class SyntheticCheckpoint extends TensorMap {
    private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private long state;
    /** Plan mode: tensors are listed here and made only when the writer asks (in order), never kept. */
    private final List<PthWriter.Planned> plan;

    private SyntheticCheckpoint(long seed, List<PthWriter.Planned> plan) {
        this.state = seed * 0x9E3779B97F4A7C15L + 1;
        this.plan = plan;
    }

    /** Random weights for {@code modalities} of an ImageBind with {@code c}'s sizes (point: {@code point}'s). */
    public static SyntheticCheckpoint create(ImageBindConfig c, PointBertConfig point, Set<Modality> modalities, long seed) {
        SyntheticCheckpoint s = new SyntheticCheckpoint(seed, null);
        s.build(c, point, modalities);
        return s;
    }

    /**
     * The same tensors as {@link #create}, as a plan for {@link PthWriter#write(Path, String, List)}:
     * each is made when written, in order (same values as {@code create}), so a checkpoint larger
     * than memory (ImageBind-huge + Point-BERT: 4.9 GB) can be written.
     */
    public static List<PthWriter.Planned> plan(ImageBindConfig c, PointBertConfig point, Set<Modality> modalities, long seed) {
        List<PthWriter.Planned> plan = new ArrayList<>();
        new SyntheticCheckpoint(seed, plan).build(c, point, modalities);
        return plan;
    }

    private void build(ImageBindConfig c, PointBertConfig point, Set<Modality> modalities) {
        SyntheticCheckpoint s = this;
        int out = c.integer("out_embed_dim");
        for (Modality m : Modality.values()) {
            if (!modalities.contains(m)) continue;
            if (m == Modality.POINT) {
                s.point(point, out);
                continue;
            }
            int d = c.integer(m.key() + "_embed_dim");
            s.stem(c, m, d);
            s.trunk(m, d, c.integer(m.key() + "_num_blocks"));
            s.head(m, d, out);
        }
    }

    /** Adds a tensor now (in-memory mode) or to the plan. */
    private void put(String key, DType dtype, long[] shape, Supplier<Tensor> make) {
        if (plan != null) plan.add(new PthWriter.Planned(key, dtype, shape, make));
        else tensors.put(key, make.get());
    }

    private void stem(ImageBindConfig c, Modality m, int d) {
        String p = "modality_preprocessors." + m.key() + ".";
        switch (m) {
            case VISION -> {
                int[] k = c.kernelSize();
                int n = ((c.integer("video_frames") - k[0]) / k[0] + 1) * (224 / k[1]) * (224 / k[2]);
                patchStem(p, "rgbt_stem.proj.1", d, new long[] {d, 3, k[0], k[1], k[2]}, n, false);
            }
            case TEXT -> {
                matrix(p + "token_embedding.weight", 49408, d);
                uniform(p + "pos_embed", 0.5, 1, 77, d);
                put(p + "mask", DType.F32, new long[] {77, 77}, () -> {
                    float[] mask = new float[77 * 77];
                    for (int i = 0; i < 77; i++) for (int j = i + 1; j < 77; j++) mask[i * 77 + j] = Float.NEGATIVE_INFINITY;
                    return Tensor.f32(mask, 77, 77);
                });
            }
            case AUDIO -> {
                int k = c.integer("audio_kernel_size"), st = c.integer("audio_stride");
                int n = ((c.integer("audio_num_mel_bins") - k) / st + 1) * ((c.integer("audio_target_len") - k) / st + 1);
                patchStem(p, "rgbt_stem.proj", d, new long[] {d, 1, k, k}, n, true);
            }
            case DEPTH, THERMAL -> {
                int k = c.integer(m.key() + "_kernel_size");
                patchStem(p, (m == Modality.DEPTH ? "depth_stem" : "rgbt_stem") + ".proj", d, new long[] {d, 1, k, k}, (224 / k) * (224 / k), true);
            }
            case IMU -> {
                int k = c.integer("imu_kernel_size");
                uniform(p + "pos_embed", 0.5, 1, 2000 / k + 1, d);
                uniform(p + "cls_token", 0.5, 1, 1, d);
                matrix(p + "imu_stem.proj.weight", d, 6 * k);
                norm(p + "imu_stem.norm_layer", d);
            }
            case POINT -> throw new IllegalArgumentException("point has no stem");
        }
    }

    private void patchStem(String p, String proj, int d, long[] weight, int patches, boolean stemNorm) {
        uniform(p + "cls_token", 0.5, 1, 1, d);
        uniform(p + proj + ".weight", Math.sqrt(3.0 * d / Tensor.numel(weight)), weight);
        if (stemNorm) norm(p + proj.substring(0, proj.indexOf('.')) + ".norm_layer", d);
        uniform(p + "pos_embedding_helper.pos_embed", 0.5, 1, patches + 1, d);
    }

    private void trunk(Modality m, int d, int blocks) {
        String p = "modality_trunks." + m.key() + ".";
        if (m == Modality.VISION) norm(p + "pre_transformer_layer.0", d);
        for (int i = 0; i < blocks; i++) {
            String b = p + "blocks." + i + ".";
            matrix(b + "attn.in_proj_weight", 3 * d, d);
            uniform(b + "attn.in_proj_bias", 0.05, 3 * d);
            if (m != Modality.VISION && m != Modality.TEXT) {
                uniform(b + "attn.bias_k", 0.5, 1, 1, d);
                uniform(b + "attn.bias_v", 0.5, 1, 1, d);
            }
            linear(b + "attn.out_proj", d, d);
            norm(b + "norm_1", d);
            linear(b + "mlp.fc1", 4 * d, d);
            linear(b + "mlp.fc2", d, 4 * d);
            norm(b + "norm_2", d);
        }
    }

    private void head(Modality m, int d, int out) {
        String h = "modality_heads." + m.key() + ".";
        String n = m == Modality.TEXT ? h + "proj.0" : h + "0";
        String l = m == Modality.TEXT ? h + "proj.1" : m == Modality.IMU ? h + "3" : h + "2";
        norm(n, d);
        matrix(l + ".weight", out, d);
        double scale = switch (m) {
            case VISION -> 0;
            case TEXT -> 1 / 0.07;
            case AUDIO -> 20;
            case DEPTH, IMU -> 5;
            case THERMAL -> 10;
            case POINT -> 1;
        };
        if (scale > 0) scalar("modality_postprocessors." + m.key() + ".1.log_logit_scale", (float) Math.log(scale));
    }

    /** Point-BERT (spec §7.4) + pc_projection + point head/postprocessor. */
    private void point(PointBertConfig pc, int out) {
        String e = "point_trunk.point_encoder.";
        int t = pc.transDim();
        uniform(e + "cls_token", 0.5, 1, 1, t);
        uniform(e + "cls_pos", 0.5, 1, 1, t);
        conv1d(e + "encoder.first_conv.0", 128, 3);
        batchNorm(e + "encoder.first_conv.1", 128);
        conv1d(e + "encoder.first_conv.3", 256, 128);
        conv1d(e + "encoder.second_conv.0", 512, 512);
        batchNorm(e + "encoder.second_conv.1", 512);
        conv1d(e + "encoder.second_conv.3", pc.encoderDims(), 512);
        linear(e + "reduce_dim", t, pc.encoderDims());
        linear(e + "pos_embed.0", 128, 3);
        linear(e + "pos_embed.2", t, 128);
        for (int i = 0; i < pc.depth(); i++) {
            String b = e + "blocks.blocks." + i + ".";
            norm(b + "norm1", t);
            matrix(b + "attn.qkv.weight", 3 * t, t);
            linear(b + "attn.proj", t, t);
            norm(b + "norm2", t);
            linear(b + "mlp.fc1", 4 * t, t);
            linear(b + "mlp.fc2", t, 4 * t);
        }
        norm(e + "norm", t);
        matrix("point_trunk.pc_projection", 2 * t, 512);
        norm("modality_heads.point.0", 512);
        matrix("modality_heads.point.2.weight", out, 512);
        scalar("modality_postprocessors.point.1.log_logit_scale", 0f);
    }

    private void conv1d(String p, int out, int in) {
        uniform(p + ".weight", Math.sqrt(3.0 / in), out, in, 1);
        uniform(p + ".bias", 0.05, out);
    }

    private void batchNorm(String p, int n) {
        norm(p, n);
        uniform(p + ".running_mean", 0.1, n);
        shifted(p + ".running_var", 0.5, 1f, n);
        put(p + ".num_batches_tracked", DType.I64, new long[0], () -> Tensor.allocate(DType.I64));
    }

    private void linear(String p, int out, int in) {
        matrix(p + ".weight", out, in);
        uniform(p + ".bias", 0.05, out);
    }

    private void matrix(String key, int out, int in) { uniform(key, Math.sqrt(3.0 / in), out, in); }

    private void norm(String p, int n) {
        shifted(p + ".weight", 0.1, 1f, n);
        uniform(p + ".bias", 0.05, n);
    }

    private void scalar(String key, float v) { put(key, DType.F32, new long[0], () -> Tensor.f32(new float[] {v})); }

    private void uniform(String key, double a, long... shape) { shifted(key, a, 0f, shape); }

    /**
     * A new F32 tensor {@code offset} + uniform in [-a, a] (xorshift: fast enough for a billion
     * values); the generator state carries on from tensor to tensor in the order they are made.
     */
    private void shifted(String key, double a, float offset, long... shape) {
        put(key, DType.F32, shape, () -> {
            Tensor t = Tensor.allocate(DType.F32, shape);
            long n = t.numel();
            long x = state;
            for (long i = 0; i < n; i++) {
                x ^= x << 13;
                x ^= x >>> 7;
                x ^= x << 17;
                t.segment().set(F32, 4 * i, (float) (a * ((x >>> 40) * 0x1p-23 - 1.0)) + offset);
            }
            state = x;
            return t;
        });
    }

    @Override public Path path() { return Path.of("<synthetic>"); }
    @Override public String format() { return "synthetic"; }

}
