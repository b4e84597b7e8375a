package io.ibllm.imagebind;

import io.ibllm.io.TensorFile;
import io.ibllm.tensor.Tensor;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * ImageBind as ImageBind-LLM uses it ({@code imagebind_LLM/ImageBind}): six transformer towers
 * plus, when the checkpoint has one (imagebind_w3D), the Point-Bind encoder (io.ibllm.pointbind).
 * Weights stay in the (mapped) checkpoint file, which must stay open while the model is used.
 */
public final class ImageBindModel {
    private static final List<Modality> TOWERS =
            List.of(Modality.VISION, Modality.TEXT, Modality.AUDIO, Modality.DEPTH, Modality.THERMAL, Modality.IMU);

    private final Map<Modality, ModalityEncoder> encoders;
    private final String pointMissing;
    private final int outDim;

    private ImageBindModel(Map<Modality, ModalityEncoder> encoders, String pointMissing, int outDim) {
        this.encoders = encoders;
        this.pointMissing = pointMissing;
        this.outDim = outDim;
    }

    /**
     * Strict load (load_state_dict(strict=True)): every expected tensor present with its shape
     * and no other tensor (the point encoder checks the point tensors the same way).
     * Checkpoints without point tensors (upstream imagebind_huge.pth) load with no point tower.
     */
    public static ImageBindModel load(TensorFile file, ImageBindConfig config) {
        Weights w = new Weights(file);
        Map<Modality, ModalityEncoder> enc = new EnumMap<>(Modality.class);
        for (Modality m : TOWERS) enc.put(m, Towers.load(w, config, m));
        String pointMissing = null;
        boolean point = PointTower.present(w);
        if (point) {
            enc.put(Modality.POINT, PointTower.load(w, config));
        } else {
            pointMissing = file.path() + " has no point tower (no point_trunk.* tensors, as in upstream imagebind_huge.pth);"
                    + " point inputs need imagebind_w3D.pth";
        }
        // The point encoder checks its own tensors strictly; everything else must have been taken.
        List<String> unused = w.unused(point ? PointTower.PREFIXES : List.of());
        if (!unused.isEmpty()) {
            throw w.error("unexpected tensor " + unused.get(0) + (unused.size() > 1 ? " (and " + (unused.size() - 1) + " more)" : "")
                    + ": not part of ImageBind");
        }
        int out = enc.get(Modality.VISION).outDim();
        for (ModalityEncoder e : enc.values()) {
            if (e.outDim() != out) {
                throw w.error("the " + e.modality().key() + " head has " + e.outDim() + " outputs, the vision head " + out);
            }
        }
        return new ImageBindModel(enc, pointMissing, out);
    }

    public int outDim() { return outDim; }

    public boolean has(Modality m) { return encoders.containsKey(m); }

    /** The encoder of {@code m}; a clear error for the point tower when there is none. */
    public ModalityEncoder encoder(Modality m) {
        ModalityEncoder e = encoders.get(m);
        if (e == null) throw new IllegalStateException("cannot embed " + m.key() + " inputs: " + pointMissing);
        return e;
    }

    /** The six transformer towers (for intermediate outputs: tokens, trunk). */
    public Tower tower(Modality m) {
        if (!(encoder(m) instanceof Tower t)) throw new IllegalArgumentException(m.key() + " is not a transformer tower");
        return t;
    }

    /**
     * Embeddings of a batch: postnorm = postprocessed head outputs, prenorm = head outputs.
     * Inputs of rank ≥ 5 ([B, S, ...]: audio clips, video clips x crops) are embedded per clip
     * and both outputs averaged over S, the postnorm AFTER postprocessing (as the reference).
     */
    public Embedding embed(Modality m, Tensor input) { return embed(m, input, 0); }

    /**
     * As {@link #embed(Modality, Tensor)}; point clouds start farthest-point sampling at
     * {@code fpsStarts[b]} (one per cloud, or one for all).
     */
    public Embedding embed(Modality m, Tensor input, int... fpsStarts) {
        ModalityEncoder enc = encoder(m);
        boolean reduce = input.rank() >= 5;
        int batch = Math.toIntExact(input.dim(0));
        int clips = reduce ? Math.toIntExact(input.dim(1)) : 1;
        Tensor flat = input;
        if (reduce) {
            long[] s = input.shape();
            long[] f = new long[s.length - 1];
            f[0] = s[0] * s[1];
            System.arraycopy(s, 2, f, 1, s.length - 2);
            flat = (input.isContiguous() ? input : input.toF32()).reshape(f);
        }
        float[] pre = enc instanceof PointTower p ? p.encode(flat, fpsStarts) : enc.encode(flat);
        float[] post = enc.postprocessor().apply(pre, batch * clips);
        int d = enc.outDim();
        return new Embedding(mean(post, batch, clips, d), mean(pre, batch, clips, d), batch, d);
    }

    private static float[] mean(float[] x, int batch, int clips, int d) {
        if (clips == 1) return x;
        float[] out = new float[batch * d];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < d; i++) {
                float s = 0f;
                for (int c = 0; c < clips; c++) s += x[(b * clips + c) * d + i];
                out[b * d + i] = s / clips;
            }
        }
        return out;
    }

    /** Embeddings [rows, dim] row-major. */
    public record Embedding(float[] postnorm, float[] prenorm, int rows, int dim) {
        public float[] row(float[] which, int r) { return Arrays.copyOfRange(which, r * dim, (r + 1) * dim); }
    }
}
