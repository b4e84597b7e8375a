package io.ibllm.media;

import io.ibllm.io.FormatException;
import io.ibllm.media.audio.AudioConfig;
import io.ibllm.media.audio.AudioPreprocessor;
import io.ibllm.media.image.GrayMapLoader;
import io.ibllm.media.imu.ImuLoader;
import io.ibllm.media.points.PointClouds;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;

/**
 * File -> encoder input for the audio, point, IMU, depth and thermal modalities, without a batch
 * dimension (the {@link MediaLoader} contract): callers stack files into [B, ...]. Raw .npy
 * inputs that already hold a batch (the golden imu.npy, depth.npy) are read whole with the
 * {@code *Batch} methods.
 */
public final class MediaTensors {
    public static final MediaLoader AUDIO = MediaTensors::audio;
    public static final MediaLoader POINTS = MediaTensors::points;
    public static final MediaLoader IMU = MediaTensors::imu;
    public static final MediaLoader DEPTH = new GrayMapLoader("depth");
    public static final MediaLoader THERMAL = new GrayMapLoader("thermal");

    private MediaTensors() {}

    /** [clips, 1, 128, 204] as load_and_transform_audio_data. */
    public static Tensor audio(Path file, AudioConfig config) {
        return new AudioPreprocessor(config).process(file).tensor();
    }

    public static Tensor audio(Path file) {
        return audio(file, AudioConfig.IMAGEBIND);
    }

    /** [N, 3] float32 as load_and_transform_point_cloud_data (then .float()). */
    public static Tensor points(Path file, PointClouds.Options options) {
        return PointClouds.read(file, options).tensor();
    }

    public static Tensor points(Path file) {
        return points(file, PointClouds.Options.REFERENCE);
    }

    /** [6, 2000]. */
    public static Tensor imu(Path file) {
        Tensor batch = imuBatch(file);
        if (batch.dim(0) != 1) throw new FormatException(file, "holds a batch of " + batch.dim(0) + " IMU recordings, one was expected");
        return batch.reshape(ImuLoader.CHANNELS, ImuLoader.SAMPLES);
    }

    /** [B, 6, 2000]; B = 1 unless the .npy holds a batch. */
    public static Tensor imuBatch(Path file) {
        return ImuLoader.load(file);
    }

    /** [1, 224, 224] from a depth .npy or 8/16-bit grayscale image ({@link GrayMapLoader}). */
    public static Tensor depth(Path file) {
        return DEPTH.load(file);
    }

    public static Tensor depthBatch(Path file) {
        return new GrayMapLoader("depth").loadBatch(file);
    }

    /** [1, 224, 224] from a thermal .npy or 8/16-bit grayscale image ({@link GrayMapLoader}). */
    public static Tensor thermal(Path file) {
        return THERMAL.load(file);
    }

    public static Tensor thermalBatch(Path file) {
        return new GrayMapLoader("thermal").loadBatch(file);
    }
}
