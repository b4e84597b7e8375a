package io.ibllm.imagebind;

/**
 * What a command-line input is: the modality it feeds and the layout of one item as a .npy
 * (or as a media loader returns it). A file with one more leading dimension is a batch of items.
 */
public enum InputKind {
    IMAGE(Modality.VISION, 3, "[3,224,224]"),
    VIDEO(Modality.VISION, 5, "[S,3,2,224,224] (clips x crops)"),
    AUDIO(Modality.AUDIO, 4, "[S,1,128,204] (clips of log-mel)"),
    TEXT_TOKENS(Modality.TEXT, 1, "int64 [77]"),
    DEPTH(Modality.DEPTH, 3, "[1,224,224]"),
    THERMAL(Modality.THERMAL, 3, "[1,224,224]"),
    IMU(Modality.IMU, 2, "[6,2000]"),
    POINTS(Modality.POINT, 2, "[N,3]");

    private final Modality modality;
    private final int itemRank;
    private final String layout;

    InputKind(Modality modality, int itemRank, String layout) {
        this.modality = modality;
        this.itemRank = itemRank;
        this.layout = layout;
    }

    public Modality modality() { return modality; }

    /** Rank of one item (without the batch dimension). */
    public int itemRank() { return itemRank; }

    /** The item layout for messages, e.g. "[3,224,224]". */
    public String layout() { return layout; }
}
