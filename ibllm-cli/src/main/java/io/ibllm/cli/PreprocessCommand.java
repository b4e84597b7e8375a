package io.ibllm.cli;

import io.ibllm.io.Npy;
import io.ibllm.media.MediaTensors;
import io.ibllm.media.audio.AudioConfig;
import io.ibllm.media.image.ImageLoader;
import io.ibllm.media.points.PointClouds;
import io.ibllm.media.video.VideoLoader;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ibllm preprocess --<modality> FILE --out FILE.npy}: runs one file through its loader and
 * writes the encoder input tensor with its batch dimension (e.g. [1, 3, 224, 224] for an image,
 * [1, clips*3, 3, 2, 224, 224] for a video, [1, clips, 1, 128, 204] for audio; a raw .npy batch
 * of depth/thermal/IMU tensors as stored), comparable to the reference's tensors.
 */
@Command(name = "preprocess", description = "Write the encoder input tensor of one media file as .npy "
        + "(with its batch dimension), exactly as the reference preprocesses it.")
public final class PreprocessCommand implements Callable<Integer> {

    /** One input; each modality is one option here and one line in {@link #load()}. */
    static final class Input {
        @Option(names = "--image", paramLabel = "FILE", description = "PNG, JPEG, BMP, GIF (first frame), TIFF or WebP image -> [1, 3, 224, 224].")
        Path image;
        @Option(names = "--video", paramLabel = "FILE", description = "MP4, WebM, MKV, AVI, MOV, ... (FFmpeg) -> [1, clips*3, 3, 2, 224, 224].")
        Path video;
        @Option(names = "--audio", paramLabel = "FILE", description = "Audio (WAV; MP3, FLAC, OGG, M4A, ... via FFmpeg) -> [1, clips, 1, 128, 204].")
        Path audio;
        @Option(names = "--points", paramLabel = "FILE", description = "Point cloud (npy, pt, ply, pcd, xyz, pts, txt, obj) -> [1, N, 3].")
        Path points;
        @Option(names = "--imu", paramLabel = "FILE", description = "IMU .npy or .csv (acc xyz, gyro xyz) -> [B, 6, 2000].")
        Path imu;
        @Option(names = "--depth", paramLabel = "FILE", description = "Depth map: 8/16-bit grayscale image, or .npy [1,224,224].")
        Path depth;
        @Option(names = "--thermal", paramLabel = "FILE", description = "Thermal image: 8/16-bit grayscale image, or .npy [1,224,224].")
        Path thermal;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--clips-per-video", paramLabel = "N",
            description = "Clips sampled from a video (default " + VideoLoader.DEFAULT_CLIPS + ") or an audio file (default 3).")
    Integer clipsPerVideo;

    @Option(names = "--normalize-points", description = "Centre point clouds and scale them into the unit sphere (off in the reference).")
    boolean normalizePoints;

    @Option(names = "--num-points", paramLabel = "N", defaultValue = "0",
            description = "Resample point clouds to N points (stride thinning / cyclic repetition); 0 keeps all (reference).")
    int numPoints;

    @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "Output .npy file (written atomically).")
    Path out;

    @Override
    public Integer call() {
        if (clipsPerVideo != null && clipsPerVideo < 1) throw new IllegalArgumentException("--clips-per-video must be >= 1");
        if (numPoints < 0) throw new IllegalArgumentException("--num-points must be >= 0");
        Tensor t = load();
        long[] shape = t.shape();
        if (t.dtype() == DType.I64) Npy.writeI64(out, t.toLongArray(), shape);
        else Npy.writeF32(out, t.toFloatArray(), shape);
        System.out.println(out + ": " + t.dtype() + " " + java.util.Arrays.toString(shape));
        return 0;
    }

    /** The batched encoder input: [1, ...] from a per-file loader, or a raw batch as stored. */
    private Tensor load() {
        if (input.image != null) return batchOfOne(new ImageLoader().load(input.image));
        if (input.video != null) {
            return batchOfOne(new VideoLoader(clipsPerVideo != null ? clipsPerVideo : VideoLoader.DEFAULT_CLIPS).load(input.video));
        }
        if (input.audio != null) {
            AudioConfig cfg = clipsPerVideo != null ? AudioConfig.IMAGEBIND.withClipsPerVideo(clipsPerVideo) : AudioConfig.IMAGEBIND;
            return batchOfOne(MediaTensors.audio(input.audio, cfg));
        }
        if (input.points != null) return batchOfOne(MediaTensors.points(input.points, new PointClouds.Options(normalizePoints, numPoints)));
        if (input.imu != null) return MediaTensors.imuBatch(input.imu);
        if (input.depth != null) return MediaTensors.depthBatch(input.depth);
        if (input.thermal != null) return MediaTensors.thermalBatch(input.thermal);
        throw new IllegalStateException("no input option given");
    }

    static Tensor batchOfOne(Tensor t) {
        long[] shape = new long[t.rank() + 1];
        shape[0] = 1;
        System.arraycopy(t.shape(), 0, shape, 1, t.rank());
        return t.reshape(shape);
    }
}
