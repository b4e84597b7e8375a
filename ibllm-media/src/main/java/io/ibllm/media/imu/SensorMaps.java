package io.ibllm.media.imu;

import io.ibllm.io.FormatException;
import io.ibllm.io.Npy;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;

/**
 * Depth and thermal maps as raw .npy tensors, exactly what ImageBind's depth/thermal encoders
 * take ([1, 224, 224]; the reference has no loader and no transform), returned batched as
 * [B, 1, 224, 224]: [224, 224] and [1, 224, 224] give B = 1, a batch [B, 1, 224, 224] (the golden
 * depth.npy) is kept. Values are passed through as float32, NaN/Inf refused.
 */
public final class SensorMaps {
    public static final int SIZE = 224;

    private SensorMaps() {}

    public static Tensor load(Path file, String modality) {
        Tensor t = Npy.read(file);
        long[] s = t.shape();
        boolean ok = (s.length == 2 && s[0] == SIZE && s[1] == SIZE)
                || (s.length == 3 && s[0] == 1 && s[1] == SIZE && s[2] == SIZE)
                || (s.length == 4 && s[0] >= 1 && s[1] == 1 && s[2] == SIZE && s[3] == SIZE);
        if (!ok) throw new FormatException(file, modality + " array has shape " + t.shapeString() + ", expected [1, 224, 224]");
        if (t.dtype().isQuantized()) throw new FormatException(file, modality + " array has dtype " + t.dtype());
        float[] v = t.toFloatArray();
        for (float x : v) if (!Float.isFinite(x)) throw new FormatException(file, modality + " array contains NaN or infinite values");
        return Tensor.f32(v, v.length / (SIZE * SIZE), 1, SIZE, SIZE);
    }
}
