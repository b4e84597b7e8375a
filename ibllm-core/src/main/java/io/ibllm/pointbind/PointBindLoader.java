package io.ibllm.pointbind;

import io.ibllm.imagebind.Modality;
import io.ibllm.imagebind.Postprocessor;
import io.ibllm.imagebind.Weights;
import io.ibllm.io.FormatException;
import io.ibllm.io.TensorFile;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a {@link PointBindEncoder} from a checkpoint, strictly (every point key present with
 * its shape, none left over). trans_dim, depth and encoder_dims come from the tensors; the
 * Point-BERT keys the tensors cannot give (num_heads, group_size, num_group) from the model
 * config or the official values.
 */
final class PointBindLoader {
    static final String TRUNK = "point_trunk.";
    static final String ENCODER = TRUNK + "point_encoder.";
    static final String HEAD = "modality_heads.point.";
    static final String POST = "modality_postprocessors.point.";
    static final List<String> PREFIXES = List.of(TRUNK, HEAD, POST);

    private PointBindLoader() {}

    static boolean present(TensorFile file) {
        return file.names().stream().anyMatch(k -> k.startsWith(TRUNK));
    }

    /** Takes the point keys from {@code weights}; leftovers are the caller's to check (or {@link #loadAlone}). */
    static PointBindEncoder load(Weights weights, Map<String, Integer> given, Path configSource) {
        if (!present(weights.file())) {
            throw new FormatException(weights.file().path(), "has no Point-Bind tensors (" + TRUNK + "*): point inputs need "
                    + "imagebind_w3D.pth (ImageBind with Point-Bind), not upstream imagebind_huge.pth");
        }
        StrictKeys keys = new StrictKeys(weights);
        PointBertConfig cfg = PointBertConfig.resolve(given, configSource, infer(keys));
        MiniPointNet patches = MiniPointNet.load(keys, ENCODER + "encoder.", cfg.encoderDims());
        PointTransformer transformer = PointTransformer.load(keys, ENCODER, cfg);
        Tensor proj = keys.get(TRUNK + "pc_projection", 2L * cfg.transDim(), StrictKeys.ANY);
        int p = (int) proj.dim(1);
        PointBindEncoder.Head head = new PointBindEncoder.Head(transpose(proj),
                keys.get(HEAD + "0.weight", p).toFloatArray(), keys.get(HEAD + "0.bias", p).toFloatArray(),
                keys.get(HEAD + "2.weight", StrictKeys.ANY, p), Postprocessor.load(weights, Modality.POINT));
        return new PointBindEncoder(cfg, patches, transformer, head);
    }

    /** Loads the point keys of {@code file} and nothing else, failing on leftover point keys. */
    static PointBindEncoder loadAlone(TensorFile file, Map<String, Integer> given, Path configSource) {
        Weights w = new Weights(file);
        PointBindEncoder enc = load(w, given, configSource);
        new StrictKeys(w).requireAllUsed(PREFIXES);
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

    /** pc_projection is used as x·W ([in, out]); stored transposed it is an ordinary Linear weight [out, in]. */
    private static Tensor transpose(Tensor t) {
        int r = (int) t.dim(0), c = (int) t.dim(1);
        float[] a = t.toFloatArray(), out = new float[a.length];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) out[j * r + i] = a[i * c + j];
        return Tensor.f32(out, c, r);
    }
}
