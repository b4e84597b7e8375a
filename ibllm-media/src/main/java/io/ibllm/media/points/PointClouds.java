package io.ibllm.media.points;

import io.ibllm.io.FormatException;
import io.ibllm.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * ImageBind-LLM's load_and_transform_point_cloud_data for one file: the x,y,z of every point
 * as float32 [N, 3], chosen by file extension like the reference: .npy, .pt/.pth (a saved
 * tensor), .ply, .pcd, .xyz/.xyzn/.pts/.txt/.csv (text columns), .obj (vertices). As in the
 * reference there is no normalisation and no resampling unless asked for (see {@link Options}).
 * Extra columns (normals, colours, intensity) are ignored. NaN or infinite coordinates are refused.
 */
public final class PointClouds {
    /**
     * @param normalize    centre and scale into the unit sphere (Point-BERT's pc_normalize); off in the reference
     * @param targetPoints 0 keeps every point (the reference); otherwise see {@link PointCloud#resampled(int)}
     */
    public record Options(boolean normalize, int targetPoints) {
        public static final Options REFERENCE = new Options(false, 0);
    }

    private PointClouds() {}

    public static Tensor load(Path file) {
        return read(file, Options.REFERENCE).tensor();
    }

    public static PointCloud read(Path file, Options options) {
        if (!Files.isRegularFile(file)) throw new FormatException(file, "no such file");
        PointCloud cloud = switch (extension(file)) {
            case "npy" -> NpyPoints.read(file);
            case "pt", "pth" -> TorchPoints.read(file);
            case "ply" -> PlyReader.read(file);
            case "pcd" -> PcdReader.read(file);
            case "xyz", "xyzn", "xyzrgb", "pts", "txt", "csv" -> TextPoints.readColumns(file);
            case "obj" -> TextPoints.readObj(file);
            default -> throw new FormatException(file, "unsupported point cloud format '." + extension(file)
                    + "' (npy, pt, ply, pcd, xyz, pts, txt, obj)");
        };
        check(file, cloud);
        if (options.normalize()) cloud = cloud.normalized();
        return cloud.resampled(options.targetPoints());
    }

    private static void check(Path file, PointCloud cloud) {
        if (cloud.size() == 0) throw new FormatException(file, "point cloud has no points");
        float[] xyz = cloud.xyz();
        for (int i = 0; i < xyz.length; i++) {
            if (!Float.isFinite(xyz[i])) {
                throw new FormatException(file, "point " + i / 3 + " has a NaN or infinite coordinate");
            }
        }
    }

    private static String extension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** Copies the first three columns of a [N, C >= 3] (or [1, N, C]) float tensor. */
    static PointCloud fromTensor(Path file, Tensor t) {
        long[] s = t.shape();
        if (s.length == 3 && s[0] == 1) s = new long[] {s[1], s[2]};
        if (s.length != 2 || s[1] < 3) {
            throw new FormatException(file, "point cloud tensor has shape " + t.shapeString() + ", expected [N, 3] (or [N, C>=3])");
        }
        if (t.dtype().isQuantized() || t.dtype() == io.ibllm.tensor.DType.BOOL) {
            throw new FormatException(file, "point cloud tensor has dtype " + t.dtype() + ", expected float");
        }
        int n = Math.toIntExact(s[0]);
        int cols = Math.toIntExact(s[1]);
        float[] xyz = new float[3 * n];
        for (int i = 0; i < n; i++) for (int k = 0; k < 3; k++) xyz[3 * i + k] = t.getFloat((long) i * cols + k);
        return new PointCloud(xyz);
    }
}
