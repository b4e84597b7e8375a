package io.ibllm.imagebind;

/**
 * Plug-in point for the Point-Bind encoder (package io.ibllm.pointbind), found with
 * java.util.ServiceLoader. {@link ImageBindModel#load} calls it when the checkpoint holds
 * {@code point_trunk.*} tensors; the provider takes (through {@code weights}, so strict loading
 * covers them) the {@code point_trunk.*}, {@code modality_heads.point.*} and
 * {@code modality_postprocessors.point.*} tensors it uses, and reads its settings from
 * {@code config.point()} (Point-BERT config keys: trans_dim, depth, num_heads, group_size,
 * num_group, encoder_dims, ...).
 */
public interface PointTowerProvider {
    /** The key prefixes this tower owns (left unchecked when no provider is present). */
    java.util.List<String> PREFIXES = java.util.List.of("point_trunk.", "modality_heads.point.", "modality_postprocessors.point.");

    ModalityEncoder load(Weights weights, ImageBindConfig config);
}
