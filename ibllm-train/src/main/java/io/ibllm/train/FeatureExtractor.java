package io.ibllm.train;

/** The frozen ImageBind vision encoder as training sees it: one [3,224,224] image → embedding. */
public interface FeatureExtractor {
    float[] embed(float[] image);
}
