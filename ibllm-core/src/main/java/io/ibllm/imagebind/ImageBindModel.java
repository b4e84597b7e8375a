package io.ibllm.imagebind;

import io.ibllm.io.TensorFile;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.lang.foreign.MemorySegment;
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

    /** Items encoded per forward; larger batches are split (bounds activation memory). */
    private static final int CHUNK = 32;

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

    /** One modality's encoder alone (no check of the other tensors): benchmarks, tools. */
    public static ModalityEncoder loadEncoder(TensorFile file, ImageBindConfig config, Modality m) {
        Weights w = new Weights(file);
        return m == Modality.POINT ? PointTower.load(w, config) : Towers.load(w, config, m);
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
        if (input.rank() < 2) throw Preprocessor.badInput(m, input, "a batch [B, " + m.itemLayout() + "]");
        boolean reduce = input.rank() >= 5;
        int batch = Math.toIntExact(input.dim(0));
        int clips = reduce ? Math.toIntExact(input.dim(1)) : 1;
        if (batch == 0 || clips == 0) throw Preprocessor.badInput(m, input, "at least one item");
        int rows = Math.multiplyExact(batch, clips);
        Tensor flat = contiguous(input);
        if (reduce) {
            long[] s = input.shape();
            long[] f = new long[s.length - 1];
            f[0] = rows;
            System.arraycopy(s, 2, f, 1, s.length - 2);
            flat = flat.reshape(f);
        }
        if (fpsStarts.length != 1 && fpsStarts.length != rows) {
            throw new IllegalArgumentException("need 1 or " + rows + " fps start indices, got " + fpsStarts.length);
        }
        int d = enc.outDim();
        float[] pre = new float[Math.multiplyExact(rows, d)];
        // Bounded chunks keep activation memory (and array sizes) independent of the batch size.
        for (int r0 = 0; r0 < rows; r0 += CHUNK) {
            int n = Math.min(CHUNK, rows - r0);
            Tensor part = slice(flat, r0, n);
            float[] out = enc instanceof PointTower p
                    ? p.encode(part, fpsStarts.length == 1 ? fpsStarts : Arrays.copyOfRange(fpsStarts, r0, r0 + n))
                    : enc.encode(part);
            System.arraycopy(out, 0, pre, r0 * d, n * d);
        }
        float[] post = enc.postprocessor().apply(pre, rows);
        return new Embedding(mean(post, batch, clips, d), mean(pre, batch, clips, d), batch, d);
    }

    /** Items [r0, r0 + n) of a contiguous batch, as a view. */
    private static Tensor slice(Tensor t, int r0, int n) {
        if (r0 == 0 && n == t.dim(0)) return t;
        long[] s = t.shape();
        long per = t.numel() / s[0];
        s[0] = n;
        return Tensor.of(t.dtype(), s, t.segment().asSlice(t.dtype().byteSize(r0 * per)));
    }

    private static Tensor contiguous(Tensor t) {
        if (t.isContiguous()) return t;
        if (t.dtype().isFloating()) return t.toF32();
        return Tensor.of(DType.I64, t.shape(), MemorySegment.ofArray(t.toLongArray()));
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
