package io.ibllm.pointbind;

import io.ibllm.io.FormatException;
import io.ibllm.io.TensorFile;
import io.ibllm.tensor.Ops;
import io.ibllm.tensor.Parallel;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ImageBind's point modality as ImageBind-LLM ships it in imagebind_w3D.pth: the Point-Bind
 * trunk (Point-BERT {@code point_trunk.point_encoder.*} + {@code point_trunk.pc_projection}),
 * the head {@code modality_heads.point} (LayerNorm eps 1e-6, Linear without bias) and the
 * postprocessor {@code modality_postprocessors.point} (L2-normalise, × logit scale).
 *
 * <p>Input clouds are [n, 3] float32, already centred and scaled to the unit sphere (the
 * reference does no normalisation or resampling). The reference starts farthest-point sampling
 * at a random point; here the start index is a parameter.
 */
public final class PointBindEncoder {
    static final String TRUNK = "point_trunk.";
    static final String ENCODER = TRUNK + "point_encoder.";
    static final String HEAD = "modality_heads.point.";
    static final String POST = "modality_postprocessors.point.";
    private static final float HEAD_LN_EPS = 1e-6f;
    private static final double MAX_LOGIT_SCALE = 100.0;

    private final PointBertConfig config;
    private final MiniPointNet patchEncoder;
    private final PointTransformer transformer;
    private final Tensor projection; // pc_projection transposed to Linear layout [proj, 2·trans_dim]
    private final float[] headNormW, headNormB;
    private final Tensor headW;
    private final float logitScale;

    /** Every intermediate of one cloud's forward pass, in the reference's names. */
    public record Trace(PointGrouping.Groups groups, float[] groupTokens, float[] concatFeature, float[] pcEmbed,
                        float[] prenorm, float[] postnorm) {}

    private PointBindEncoder(StrictKeys keys, PointBertConfig cfg) {
        this.config = cfg;
        patchEncoder = MiniPointNet.load(keys, ENCODER + "encoder.", cfg.encoderDims());
        transformer = PointTransformer.load(keys, ENCODER, cfg);
        Tensor proj = keys.get(TRUNK + "pc_projection", 2L * cfg.transDim(), StrictKeys.ANY);
        int p = (int) proj.dim(1);
        projection = transpose(proj);
        headNormW = keys.get(HEAD + "0.weight", p).toFloatArray();
        headNormB = keys.get(HEAD + "0.bias", p).toFloatArray();
        headW = keys.get(HEAD + "2.weight", StrictKeys.ANY, p);
        logitScale = (float) Math.min(Math.exp(keys.get(POST + "1.log_logit_scale").getFloat(0)), MAX_LOGIT_SCALE);
    }

    /** Whether {@code file} holds Point-Bind tensors at all (imagebind_w3D does, imagebind_huge does not). */
    public static boolean present(TensorFile file) {
        return file.contains(ENCODER + "cls_token");
    }

    /** Loads with widths and depth from the tensors and the official num_heads/group_size/num_group. */
    public static PointBindEncoder load(TensorFile file) {
        return load(file, Map.of(), null);
    }

    /** Loads with every value of {@code config} required to agree with the tensors. */
    public static PointBindEncoder load(TensorFile file, PointBertConfig config) {
        return load(file, config.asGiven(), null);
    }

    /**
     * Loads strictly: every point key present with its shape, none left over. {@code given} are
     * the explicit Point-BERT keys of a model config ({@link PointBertConfig#given}) read from
     * {@code configSource} (may be null); a value contradicting the tensors is an error naming both.
     */
    public static PointBindEncoder load(TensorFile file, Map<String, Integer> given, Path configSource) {
        if (!present(file)) {
            throw new FormatException(file.path(), "has no Point-Bind tensors (" + ENCODER + "*): point inputs need "
                    + "imagebind_w3D.pth (ImageBind with Point-Bind), not upstream imagebind_huge.pth");
        }
        StrictKeys keys = new StrictKeys(file);
        PointBertConfig cfg = PointBertConfig.resolve(given, configSource, infer(keys));
        PointBindEncoder enc = new PointBindEncoder(keys, cfg);
        keys.requireAllUsed(TRUNK, HEAD, POST);
        return enc;
    }

    /** trans_dim, depth and encoder_dims as the tensors give them. */
    private static Map<String, PointBertConfig.Inferred> infer(StrictKeys keys) {
        Map<String, PointBertConfig.Inferred> m = new LinkedHashMap<>();
        Tensor cls = keys.get(ENCODER + "cls_token", 1, 1, StrictKeys.ANY);
        m.put("trans_dim", new PointBertConfig.Inferred((int) cls.dim(2), ENCODER + "cls_token " + cls.shapeString()));
        int depth = blockCount(keys.file());
        if (depth == 0) throw new FormatException(keys.file().path(), "missing tensor " + ENCODER + "blocks.blocks.0.norm1.weight");
        m.put("depth", new PointBertConfig.Inferred(depth, "blocks " + ENCODER + "blocks.blocks.0.." + (depth - 1)));
        String enc = ENCODER + "encoder.second_conv.3.weight";
        Tensor e = keys.get(enc, StrictKeys.ANY, StrictKeys.ANY, 1);
        m.put("encoder_dims", new PointBertConfig.Inferred((int) e.dim(0), enc + " " + e.shapeString()));
        return m;
    }

    /** 1 + the highest block index among the keys (a gap then shows as a missing tensor). */
    private static int blockCount(TensorFile f) {
        String p = ENCODER + "blocks.blocks.";
        int max = -1;
        for (String k : f.names()) {
            if (!k.startsWith(p)) continue;
            int dot = k.indexOf('.', p.length());
            try {
                max = Math.max(max, Integer.parseInt(k.substring(p.length(), dot < 0 ? k.length() : dot)));
            } catch (NumberFormatException e) {
                throw new FormatException(f.path(), "unexpected tensor " + k);
            }
        }
        if (max >= 1 << 16) throw new FormatException(f.path(), "implausible block index " + max + " under " + p);
        return max + 1;
    }

    private static Tensor transpose(Tensor t) {
        int r = (int) t.dim(0), c = (int) t.dim(1);
        float[] a = t.toFloatArray(), out = new float[a.length];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) out[j * r + i] = a[i * c + j];
        return Tensor.f32(out, c, r);
    }

    public PointBertConfig config() { return config; }

    /** Width of the ImageBind embedding (the head's output). */
    public int outDim() { return (int) headW.dim(0); }

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
        if (off < 0 || points.length - off < 3L * n) throw new IllegalArgumentException("point buffer holds fewer than " + n + " points");
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
        int p = (int) projection.dim(0);
        float[] pc = new float[p];
        Ops.matmul(projection, feat, 1, pc);
        float[] normed = new float[p];
        Ops.layerNorm(normed, 0, pc, 0, headNormW, headNormB, p, HEAD_LN_EPS);
        float[] pre = new float[outDim()];
        Ops.matmul(headW, normed, 1, pre);
        return new Trace(g, tokens, feat, pc, pre, postprocess(pre));
    }

    /** F.normalize (eps 1e-12) then × min(exp(log_logit_scale), 100). */
    private float[] postprocess(float[] x) {
        double ss = 0;
        for (float v : x) ss += (double) v * v;
        float norm = (float) Math.max(Math.sqrt(ss), 1e-12);
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) out[i] = x[i] / norm * logitScale;
        return out;
    }
}
