package io.ibllm.imagebind;

import io.ibllm.pointbind.PointBertConfig;
import io.ibllm.pointbind.PointBindEncoder;
import io.ibllm.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The point modality as a {@link ModalityEncoder}: io.ibllm.pointbind's Point-Bind encoder
 * (which loads and strictly checks the point tensors itself) up to the point head, and the point
 * postprocessor. Clouds are [B, N, 3]; farthest-point sampling starts at {@code fpsStart} in each
 * (the reference starts at a random index).
 */
final class PointTower implements ModalityEncoder {
    /** The key prefixes the point encoder owns and checks. */
    static final List<String> PREFIXES = List.of("point_trunk.", "modality_heads.point.", "modality_postprocessors.point.");

    private final PointBindEncoder encoder;
    private final Postprocessor postprocessor;

    private PointTower(PointBindEncoder encoder, Postprocessor postprocessor) {
        this.encoder = encoder;
        this.postprocessor = postprocessor;
    }

    static boolean present(Weights w) { return PointBindEncoder.present(w.file()); }

    static PointTower load(Weights w, ImageBindConfig c) {
        Map<String, Integer> given = PointBertConfig.given(Map.of("point", c.point()), c.source());
        PointBindEncoder enc = PointBindEncoder.load(w.file(), given, c.source());
        return new PointTower(enc, Postprocessor.load(w, Modality.POINT));
    }

    @Override public Modality modality() { return Modality.POINT; }

    @Override public int outDim() { return encoder.outDim(); }

    @Override public Postprocessor postprocessor() { return postprocessor; }

    @Override public float[] encode(Tensor batch) { return encode(batch, 0); }

    /**
     * Head outputs [B, out] of clouds [B, N, 3]; farthest-point sampling starts at
     * {@code fpsStarts[b]} in cloud b, or at {@code fpsStarts[0]} in all when only one is given.
     */
    float[] encode(Tensor clouds, int... fpsStarts) {
        if (clouds.rank() != 3 || clouds.dim(2) != 3) throw Preprocessor.badInput(Modality.POINT, clouds, "[B,N,3]");
        int b = Preprocessor.size(clouds, 0), n = Preprocessor.size(clouds, 1);
        if (n < encoder.minPoints()) {
            throw Preprocessor.badInput(Modality.POINT, clouds, "at least " + encoder.minPoints() + " points per cloud");
        }
        if (fpsStarts.length != 1 && fpsStarts.length != b) {
            throw new IllegalArgumentException("need 1 or " + b + " fps start indices, got " + fpsStarts.length);
        }
        int[] starts = fpsStarts.length == b ? fpsStarts.clone() : new int[b];
        if (fpsStarts.length != b) Arrays.fill(starts, fpsStarts[0]);
        for (int s : starts) {
            if (s < 0 || s >= n) throw new IllegalArgumentException("fps start index " + s + " is outside the cloud's " + n + " points");
        }
        return encoder.embedBatch(clouds.toFloatArray(), b, n, true, starts);
    }
}
