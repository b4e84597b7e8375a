package io.ibllm.pointbind;

import io.ibllm.imagebind.ImageBindConfig;
import io.ibllm.imagebind.ModalityEncoder;
import io.ibllm.imagebind.PointTowerProvider;
import io.ibllm.imagebind.Weights;

/** Registers the Point-Bind encoder as ImageBind's point tower (META-INF/services). */
public final class PointBindProvider implements PointTowerProvider {
    @Override
    public ModalityEncoder load(Weights weights, ImageBindConfig config) {
        return PointBindLoader.load(weights, PointBertConfig.givenPoint(config.point(), config.source()), config.source());
    }
}
