package io.ibllm.pointbind;

import io.ibllm.imagebind.Postprocessor;
import io.ibllm.io.TensorFile;
import io.ibllm.tensor.Ops;
import io.ibllm.tensor.Parallel;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.Map;

/**
 * ImageBind's point modality as ImageBind-LLM ships it in imagebind_w3D.pth: the Point-Bind
 * trunk (Point-BERT {@code point_trunk.point_encoder.*}, then {@code point_trunk.pc_projection}),
 * the head {@code modality_heads.point} (LayerNorm eps 1e-6, Linear without bias) and the
 * postprocessor {@code modality_postprocessors.point} (L2-normalise, × logit scale 1).
 *
 * <p>Input clouds are [n, 3], already centred and scaled to the unit sphere (the reference does
 * no normalisation or resampling); any n ≥ max(num_group, group_size) works. The reference starts
 * farthest-point sampling at a random point; here the start index is a parameter (default 0).
 */
public final class PointBindEncoder {
    private static final float HEAD_LN_EPS = 1e-6f;

    private final PointBertConfig config;
    private final MiniPointNet patchEncoder;
    private final PointTransformer transformer;
    private final Head head;

    /** pc_projection as a Linear weight [proj, 2·trans_dim], the head's LayerNorm and Linear, the postprocessor. */
    record Head(Tensor projection, float[] normW, float[] normB, Tensor linear, Postprocessor post) {}

    /** Every intermediate of one cloud's forward pass, in the reference's names. */
    public record Trace(PointGrouping.Groups groups, float[] groupTokens, float[] concatFeature, float[] pcEmbed,
                        float[] prenorm, float[] postnorm) {}

    PointBindEncoder(PointBertConfig config, MiniPointNet patchEncoder, PointTransformer transformer, Head head) {
        this.config = config;
        this.patchEncoder = patchEncoder;
        this.transformer = transformer;
        this.head = head;
    }

    /** Whether {@code file} holds Point-Bind tensors at all (imagebind_w3D does, imagebind_huge does not). */
    public static boolean present(TensorFile file) { return PointBindLoader.present(file); }

    /** Loads with widths and depth from the tensors and the official num_heads/group_size/num_group. */
    public static PointBindEncoder load(TensorFile file) { return load(file, Map.of(), null); }

    /** Loads with every value of {@code config} required to agree with the tensors. */
    public static PointBindEncoder load(TensorFile file, PointBertConfig config) {
        return load(file, config.asGiven(), null);
    }

    /**
     * Loads the point keys of {@code file} strictly. {@code given} are the explicit Point-BERT
     * keys of a model config ({@link PointBertConfig#given}) read from {@code configSource} (may
     * be null); a value contradicting the tensors is an error naming both.
     */
    public static PointBindEncoder load(TensorFile file, Map<String, Integer> given, Path configSource) {
        return PointBindLoader.loadAlone(file, given, configSource);
    }

    public PointBertConfig config() { return config; }

    /** Width of the ImageBind embedding (the point head's output). */
    public int outDim() { return (int) head.linear().dim(0); }

    /** The point postprocessor (normalise, × min(exp(log_logit_scale), 100)). */
    public Postprocessor postprocessor() { return head.post(); }

    /** The smallest cloud this encoder can group. */
    public int minPoints() { return Math.max(config.numGroup(), config.groupSize()); }

    /** One cloud xyz [n, 3] → ImageBind embedding [outDim] (head output if prenorm, else postprocessed). */
    public float[] embed(float[] points, int n, boolean prenorm, int fpsStart) {
        checkLength(points, 1, n);
        Trace t = trace(points, 0, n, fpsStart);
        return prenorm ? t.prenorm() : t.postnorm();
    }

    /** Clouds [batch, n, 3] → embeddings [batch, outDim]; fpsStarts has one start index per cloud. */
    public float[] embedBatch(float[] points, int batch, int n, boolean prenorm, int[] fpsStarts) {
        if (fpsStarts.length != batch) throw new IllegalArgumentException("need " + batch + " fps start indices, got " + fpsStarts.length);
        checkLength(points, batch, n);
        for (int b = 0; b < batch; b++) PointGrouping.validate(points, b * n * 3, n, config.numGroup(), config.groupSize(), fpsStarts[b]);
        // FPS is sequential within a cloud, so clouds are sampled side by side; the rest is parallel inside.
        int[][] centres = new int[batch][];
        Parallel.forRange(batch, (s, e) -> {
            for (int b = s; b < e; b++) {
                centres[b] = PointGrouping.farthestPointSample(points, b * n * 3, n, config.numGroup(), fpsStarts[b]);
            }
        });
        int out = outDim();
        float[] result = new float[batch * out];
        for (int b = 0; b < batch; b++) {
            Trace t = forward(PointGrouping.gather(points, b * n * 3, n, centres[b], config.groupSize()));
            System.arraycopy(prenorm ? t.prenorm() : t.postnorm(), 0, result, b * out, out);
        }
        return result;
    }

    /** The full forward pass of the cloud points[off, off + 3n), keeping every intermediate. */
    public Trace trace(float[] points, int off, int n, int fpsStart) {
        if (off < 0 || n < 0 || points.length - off < 3L * n) {
            throw new IllegalArgumentException("point buffer holds fewer than " + n + " points after offset " + off);
        }
        return forward(PointGrouping.group(points, off, n, config.numGroup(), config.groupSize(), fpsStart));
    }

    private static void checkLength(float[] points, int batch, int n) {
        if (batch < 0 || n < 0 || points.length != 3L * batch * n) {
            throw new IllegalArgumentException("point buffer has " + points.length + " floats, expected " + batch + " x " + n + " x 3");
        }
    }

    private Trace forward(PointGrouping.Groups g) {
        float[] tokens = patchEncoder.encode(g.neighbourhoods(), g.groups(), g.groupSize());
        float[] feat = transformer.features(tokens, g.centres(), g.groups());
        int p = (int) head.projection().dim(0);
        float[] pc = new float[p];
        Ops.matmul(head.projection(), feat, 1, pc);
        float[] normed = new float[p];
        Ops.layerNorm(normed, 0, pc, 0, head.normW(), head.normB(), p, HEAD_LN_EPS);
        float[] pre = new float[outDim()];
        Ops.matmul(head.linear(), normed, 1, pre);
        return new Trace(g, tokens, feat, pc, pre, head.post().apply(pre, 1));
    }
}
