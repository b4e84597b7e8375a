package io.ibllm.media;

import io.ibllm.media.audio.AudioConfig;
import io.ibllm.media.audio.AudioPreprocessor;
import io.ibllm.media.imu.ImuLoader;
import io.ibllm.media.imu.SensorMaps;
import io.ibllm.media.points.PointClouds;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;

/**
 * File -> encoder input tensor for the audio, point, IMU, depth and thermal modalities, each
 * batched with B = 1 (or the file's own batch for raw .npy tensors), ready for the ImageBind towers.
 */
public final class MediaTensors {
    private MediaTensors() {}

    /** [1, clips, 1, 128, 204] as load_and_transform_audio_data. */
    public static Tensor audio(Path file, AudioConfig config) {
        AudioPreprocessor.Result r = new AudioPreprocessor(config).process(file);
        long[] s = r.shape();
        return Tensor.f32(r.values(), 1, s[0], s[1], s[2], s[3]);
    }

    public static Tensor audio(Path file) {
        return audio(file, AudioConfig.IMAGEBIND);
    }

    /** [1, N, 3] float32 as load_and_transform_point_cloud_data (then .float()). */
    public static Tensor points(Path file, PointClouds.Options options) {
        float[] xyz = PointClouds.read(file, options).xyz();
        return Tensor.f32(xyz, 1, xyz.length / 3, 3);
    }

    public static Tensor points(Path file) {
        return points(file, PointClouds.Options.REFERENCE);
    }

    /** [B, 6, 2000]. */
    public static Tensor imu(Path file) {
        return ImuLoader.load(file);
    }

    /** [B, 1, 224, 224] from a raw .npy depth map. */
    public static Tensor depth(Path file) {
        return SensorMaps.load(file, "depth");
    }

    /** [B, 1, 224, 224] from a raw .npy thermal map. */
    public static Tensor thermal(Path file) {
        return SensorMaps.load(file, "thermal");
    }
}
