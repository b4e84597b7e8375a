package io.ibllm.cli;

import io.ibllm.io.Npy;
import io.ibllm.media.MediaTensors;
import io.ibllm.media.audio.AudioConfig;
import io.ibllm.media.image.ImageLoader;
import io.ibllm.media.points.PointClouds;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ibllm preprocess --<modality> FILE --out FILE.npy}: writes the encoder input tensor of
 * one file with a leading batch dimension of 1 (raw .npy IMU/depth/thermal batches keep theirs),
 * float32 — the tensor the reference's load_and_transform_* functions produce.
 */
@Command(name = "preprocess", description = "Write the encoder input tensor of a media file as .npy.")
public final class PreprocessCommand implements Callable<Integer> {

    static final class Input {
        @Option(names = "--image", paramLabel = "FILE", description = "Image (PNG, JPEG, BMP, GIF, TIFF) -> [1, 3, 224, 224].")
        Path image;
        @Option(names = "--audio", paramLabel = "FILE", description = "Audio (WAV; MP3, FLAC, OGG, M4A, ... via FFmpeg) -> [1, clips, 1, 128, 204].")
        Path audio;
        @Option(names = "--points", paramLabel = "FILE", description = "Point cloud (npy, pt, ply, pcd, xyz, pts, txt, obj) -> [1, N, 3].")
        Path points;
        @Option(names = "--imu", paramLabel = "FILE", description = "IMU .npy or .csv (acc xyz, gyro xyz) -> [B, 6, 2000].")
        Path imu;
        @Option(names = "--depth", paramLabel = "FILE", description = "Depth map .npy -> [B, 1, 224, 224].")
        Path depth;
        @Option(names = "--thermal", paramLabel = "FILE", description = "Thermal map .npy -> [B, 1, 224, 224].")
        Path thermal;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "Output .npy (written atomically).")
    Path out;

    @Option(names = "--clips-per-video", paramLabel = "N", defaultValue = "3", description = "Audio clips per file (default ${DEFAULT-VALUE}).")
    int clipsPerVideo;

    @Option(names = "--normalize-points", description = "Centre point clouds and scale them into the unit sphere (off in the reference).")
    boolean normalizePoints;

    @Option(names = "--num-points", paramLabel = "N", defaultValue = "0",
            description = "Resample point clouds to N points (stride thinning / cyclic repetition); 0 keeps all (reference).")
    int numPoints;

    @Override
    public Integer call() {
        if (clipsPerVideo < 1) throw new IllegalArgumentException("--clips-per-video must be >= 1");
        if (numPoints < 0) throw new IllegalArgumentException("--num-points must be >= 0");
        Tensor t = tensor();
        Npy.writeF32(out, t.toFloatArray(), t.shape());
        System.out.println(out + " " + t.shapeString());
        return 0;
    }

    private Tensor tensor() {
        if (input.image != null) return batchOfOne(new ImageLoader().load(input.image));
        if (input.audio != null) return batchOfOne(MediaTensors.audio(input.audio, AudioConfig.IMAGEBIND.withClipsPerVideo(clipsPerVideo)));
        if (input.points != null) {
            return batchOfOne(MediaTensors.points(input.points, new PointClouds.Options(normalizePoints, numPoints)));
        }
        if (input.imu != null) return MediaTensors.imuBatch(input.imu);
        if (input.depth != null) return MediaTensors.depthBatch(input.depth);
        return MediaTensors.thermalBatch(input.thermal);
    }

    private static Tensor batchOfOne(Tensor t) {
        long[] s = t.shape();
        long[] b = new long[s.length + 1];
        b[0] = 1;
        System.arraycopy(s, 0, b, 1, s.length);
        return t.reshape(b);
    }
}
