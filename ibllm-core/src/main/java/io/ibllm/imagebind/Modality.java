package io.ibllm.imagebind;

/**
 * The input modalities of ImageBind-LLM's ImageBind copy, with the state-dict name of each
 * ({@code modality_trunks.<key>...}) and the rank of one item in the encoder's input layout.
 */
public enum Modality {
    VISION("vision", "[3,H,W] image or [S,3,T,H,W] video clips"),
    TEXT("text", "[77] int64 token ids"),
    AUDIO("audio", "[S,1,mel,frames] log-mel clips"),
    DEPTH("depth", "[1,H,W] depth map"),
    THERMAL("thermal", "[1,H,W] thermal image"),
    IMU("imu", "[6,T] IMU samples"),
    POINT("point", "[N,3] point cloud");

    private final String key;
    private final String itemLayout;

    Modality(String key, String itemLayout) {
        this.key = key;
        this.itemLayout = itemLayout;
    }

    /** The reference's ModalityType string, used in every state-dict key of the modality. */
    public String key() { return key; }

    /** Human-readable layout of one item, for error messages. */
    public String itemLayout() { return itemLayout; }
}
