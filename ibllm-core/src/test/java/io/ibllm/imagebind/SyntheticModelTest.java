package io.ibllm.imagebind;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ibllm.io.Json;
import io.ibllm.pointbind.PointBertConfig;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A model with sizes unlike the golden one (random weights): strict load with everything
 * inferred, postprocessor scales, and batching (a batch embeds like its items one by one).
 */
class SyntheticModelTest {
    private static ImageBindModel model;
    private static final Random RNG = new Random(7);

    @BeforeAll
    static void build() {
        ImageBindConfig c = ImageBindConfig.fromJson((Map<?, ?>) Json.parse("""
                {"imagebind": {"out_embed_dim": 12, "kernel_size": [2, 16, 16],
                  "vision_embed_dim": 24, "vision_num_blocks": 1, "vision_num_heads": 3,
                  "text_embed_dim": 20, "text_num_blocks": 2, "text_num_heads": 5,
                  "audio_embed_dim": 18, "audio_num_blocks": 1, "audio_num_heads": 3, "audio_stride": 12,
                  "depth_embed_dim": 16, "depth_kernel_size": 32, "depth_num_blocks": 1, "depth_num_heads": 4,
                  "thermal_embed_dim": 8, "thermal_kernel_size": 28, "thermal_num_blocks": 1, "thermal_num_heads": 1,
                  "imu_embed_dim": 10, "imu_kernel_size": 10, "imu_num_blocks": 1, "imu_num_heads": 2},
                 "point": {"trans_dim": 16, "depth": 1, "num_heads": 2, "group_size": 8, "num_group": 16, "encoder_dims": 32}}
                """), null);
        SyntheticCheckpoint f = SyntheticCheckpoint.create(c, new PointBertConfig(16, 1, 2, 8, 16, 32), EnumSet.allOf(Modality.class), 3);
        model = ImageBindModel.load(f, c);
    }

    private static Tensor random(long... shape) {
        float[] v = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) RNG.nextGaussian();
        return Tensor.f32(v, shape);
    }

    private static Tensor text(long... rows) {
        long[] ids = new long[rows.length * 77];
        for (int r = 0; r < rows.length; r++) {
            ids[r * 77] = 49406;
            for (int j = 1; j < rows[r]; j++) ids[r * 77 + j] = RNG.nextInt(49000);
            ids[r * 77 + (int) rows[r]] = 49407;
        }
        return Tensor.of(DType.I64, new long[] {rows.length, 77}, MemorySegment.ofArray(ids));
    }

    /** Rows of a batch equal the items embedded alone; every postnorm row has norm = the modality's scale. */
    private static void check(Modality m, Tensor batch, double scale) {
        ImageBindModel.Embedding all = model.embed(m, batch);
        int b = (int) batch.dim(0);
        assertEquals(b, all.rows());
        assertEquals(12, all.dim());
        long[] s = batch.shape();
        long per = batch.numel() / b;
        for (int i = 0; i < b; i++) {
            if (i > 1 && i < b - 2 && i != 31 && i != 32) continue; // the ends and the chunk boundary
            s[0] = 1;
            Tensor one = batch.dtype() == DType.I64
                    ? Tensor.of(DType.I64, s.clone(), MemorySegment.ofArray(java.util.Arrays.copyOfRange(batch.toLongArray(), (int) (i * per), (int) ((i + 1) * per))))
                    : Tensor.f32(java.util.Arrays.copyOfRange(batch.toFloatArray(), (int) (i * per), (int) ((i + 1) * per)), s.clone());
            ImageBindModel.Embedding e = model.embed(m, one);
            float[] row = all.row(all.postnorm(), i);
            for (int k = 0; k < 12; k++) assertEquals(e.postnorm()[k], row[k], 1e-5 * scale, m + " row " + i);
            double n = 0;
            for (float v : row) n += v * v;
            if (batch.rank() < 5) assertEquals(scale, Math.sqrt(n), 1e-4 * scale, m + " postnorm norm");
        }
    }

    @Test
    void everyModalityBatchesAndScales() {
        check(Modality.VISION, random(2, 3, 224, 224), 1);
        check(Modality.VISION, random(2, 2, 3, 2, 224, 224), 1);
        check(Modality.TEXT, text(5, 76), 1 / 0.07);
        check(Modality.AUDIO, random(2, 2, 1, 128, 204), 20);
        check(Modality.DEPTH, random(3, 1, 224, 224), 5);
        check(Modality.THERMAL, random(2, 1, 224, 224), 10);
        check(Modality.IMU, random(34, 6, 2000), 5); // more than one chunk of 32
        check(Modality.POINT, random(2, 40, 3), 1);
    }

    @Test
    void emptyBatchesAreRefused() {
        String msg = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> model.embed(Modality.AUDIO, Tensor.f32(new float[0], 1, 0, 1, 128, 204))).getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(msg.contains("audio input has shape [1, 0, 1, 128, 204]"), msg);
    }
}
