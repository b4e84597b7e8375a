package io.ibllm.llama;

import io.ibllm.bind.BindNetwork;
import io.ibllm.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the bind network from the adapter checkpoint. The variant is told by the keys: the
 * legacy "7B-beta" bridge has LayerNorm biases (image_bind_norm_k.bias) and Linear biases.
 */
final class BindLoader {
    static final int BLOCKS = 3;

    private BindLoader() {}

    static BindNetwork load(WeightSet w, int dim) {
        BindNetwork.Variant variant = w.has("image_bind_norm_1.bias") ? BindNetwork.Variant.LEGACY : BindNetwork.Variant.STABLE;
        boolean legacy = variant == BindNetwork.Variant.LEGACY;
        long[] projShape = w.shape("image_bind_proj.weight");
        int in = projShape != null && projShape.length == 2 ? (int) projShape[1] : 1024;
        Tensor proj = w.take("image_bind_proj.weight", dim, in);
        Tensor projBias = w.take("image_bind_proj.bias", dim);
        long[] f1Shape = w.shape("image_bind_f1_1.weight");
        int hidden = f1Shape != null && f1Shape.length == 2 ? (int) f1Shape[0] : 4 * dim;
        List<BindNetwork.Block> blocks = new ArrayList<>();
        for (int k = 1; k <= BLOCKS; k++) {
            String n = "image_bind_norm_" + k, f = "image_bind_f";
            blocks.add(new BindNetwork.Block(
                    w.takeFloats(n + ".weight", dim), legacy ? w.takeFloats(n + ".bias", dim) : null,
                    w.take(f + "1_" + k + ".weight", hidden, dim), legacy ? w.take(f + "1_" + k + ".bias", hidden) : null,
                    w.take(f + "2_" + k + ".weight", dim, hidden), legacy ? w.take(f + "2_" + k + ".bias", dim) : null,
                    w.take(f + "3_" + k + ".weight", hidden, dim), legacy ? w.take(f + "3_" + k + ".bias", hidden) : null));
        }
        return new BindNetwork(variant, proj, projBias, blocks);
    }
}
