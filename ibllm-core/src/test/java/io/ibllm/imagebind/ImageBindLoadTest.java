package io.ibllm.imagebind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.Golden;
import io.ibllm.io.FormatException;
import io.ibllm.io.Json;
import io.ibllm.io.Safetensors;
import io.ibllm.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Strict loading (load_state_dict(strict=True)) and config cross-checks against the golden checkpoint. */
class ImageBindLoadTest {
    private static Safetensors file;
    private static ImageBindConfig config;

    @BeforeAll
    static void open() {
        file = Safetensors.open(Golden.file("checkpoints/imagebind_w3D.safetensors"));
        config = ImageBindConfig.read(Golden.file("config/golden_config.json"));
    }

    @AfterAll
    static void close() { file.close(); }

    /** The golden config with one imagebind key changed. */
    @SuppressWarnings("unchecked")
    private static ImageBindConfig goldenWith(String key, Object value) throws Exception {
        Map<String, Object> top = (Map<String, Object>) Json.parse(java.nio.file.Files.readString(Golden.file("config/golden_config.json")));
        Map<String, Object> cfg = (Map<String, Object>) top.get("config");
        ((Map<String, Object>) cfg.get("imagebind")).put(key, value);
        return ImageBindConfig.fromJson(cfg, null);
    }

    private static String loadError(MapTensorFile f, ImageBindConfig c) {
        return assertThrows(FormatException.class, () -> ImageBindModel.load(f, c)).getMessage();
    }

    @Test
    void goldenLoadsWithInferredSizes() {
        ImageBindModel m = ImageBindModel.load(file, config);
        assertEquals(32, m.outDim());
        assertEquals(2, m.tower(Modality.AUDIO).trunk().depth());
        assertEquals(40, m.tower(Modality.AUDIO).preprocessor().dim());
        assertTrue(m.has(Modality.POINT));
    }

    @Test
    void missingKeyIsNamed() {
        MapTensorFile f = new MapTensorFile(file);
        f.tensors.remove("modality_trunks.audio.blocks.1.attn.bias_v");
        assertTrue(loadError(f, config).contains("missing tensor modality_trunks.audio.blocks.1.attn.bias_v"));
    }

    @Test
    void kernelContradictionNamesBoth() throws Exception {
        ImageBindConfig c = goldenWith("depth_kernel_size", 14L);
        String msg = assertThrows(FormatException.class, () -> ImageBindModel.load(file, c)).getMessage();
        assertTrue(msg.contains("depth_kernel_size = 14") && msg.contains("[32, 1, 16, 16]"), msg);
    }

    @Test
    void unexpectedKeyIsNamed() {
        MapTensorFile f = new MapTensorFile(file);
        f.tensors.put("modality_heads.vision.9.weight", Tensor.f32(new float[4], 4));
        assertTrue(loadError(f, config).contains("unexpected tensor modality_heads.vision.9.weight"));
    }

    @Test
    void wrongShapeIsNamed() {
        MapTensorFile f = new MapTensorFile(file);
        f.tensors.put("modality_trunks.text.blocks.0.mlp.fc2.bias", Tensor.f32(new float[15], 15));
        String msg = loadError(f, config);
        assertTrue(msg.contains("modality_trunks.text.blocks.0.mlp.fc2.bias has shape [15], expected [16]"), msg);
    }

    @Test
    void checkpointWithoutPointTowerLoadsAndRefusesPoints() {
        MapTensorFile f = new MapTensorFile(file);
        f.tensors.keySet().removeIf(k -> PointTower.PREFIXES.stream().anyMatch(k::startsWith));
        ImageBindModel m = ImageBindModel.load(f, config);
        assertFalse(m.has(Modality.POINT));
        String msg = assertThrows(IllegalStateException.class,
                () -> m.embed(Modality.POINT, Tensor.f32(new float[3 * 8], 1, 8, 3))).getMessage();
        assertTrue(msg.contains("no point tower"), msg);
    }

    @Test
    void strayPointHeadWithoutPointTrunkIsUnexpected() {
        MapTensorFile f = new MapTensorFile(file);
        f.tensors.keySet().removeIf(k -> k.startsWith("point_trunk."));
        assertTrue(loadError(f, config).contains("unexpected tensor modality_heads.point.0.weight"));
    }

    @Test
    void configContradictingTensorsNamesBoth() throws Exception {
        ImageBindConfig c = goldenWith("vision_embed_dim", 64L);
        String msg = assertThrows(FormatException.class, () -> ImageBindModel.load(file, c)).getMessage();
        assertTrue(msg.contains("vision_embed_dim = 64") && msg.contains("modality_trunks.vision.blocks.0.norm_1.weight [48]"), msg);
        ImageBindConfig blocks = goldenWith("imu_num_blocks", 6L);
        msg = assertThrows(FormatException.class, () -> ImageBindModel.load(file, blocks)).getMessage();
        assertTrue(msg.contains("imu_num_blocks = 6") && msg.contains("means 2"), msg);
    }

    @Test
    void headsThatDoNotDivideTheWidthAreRefused() throws Exception {
        ImageBindConfig c = goldenWith("text_num_heads", 3L);
        String msg = assertThrows(FormatException.class, () -> ImageBindModel.load(file, c)).getMessage();
        assertTrue(msg.contains("text_num_heads = 3") && msg.contains("width 16"), msg);
    }

    @Test
    void audioGeometryMustMatchThePositionTable() throws Exception {
        ImageBindConfig c = goldenWith("audio_stride", 16L);
        String msg = assertThrows(FormatException.class, () -> ImageBindModel.load(file, c)).getMessage();
        assertTrue(msg.contains("audio_stride=16") && msg.contains("[1, 229, 40]"), msg);
    }

    @Test
    void unknownOrBadConfigKeysAreRefused() {
        String msg = assertThrows(FormatException.class,
                () -> ImageBindConfig.fromJson(Map.of("imagebind", Map.of("vision_heads", 4L)), null)).getMessage();
        assertTrue(msg.contains("unknown imagebind key \"vision_heads\""), msg);
        msg = assertThrows(FormatException.class,
                () -> ImageBindConfig.fromJson(Map.of("imagebind", Map.of("kernel_size", 14L)), null)).getMessage();
        assertTrue(msg.contains("kernel_size"), msg);
    }

    @Test
    void goldenConfigIsReadWithItsPointSection() {
        assertEquals(4, config.integer("vision_num_heads"));
        assertEquals(10, config.integer("audio_stride"));
        assertEquals(16, config.integer("text_embed_dim"));
        assertEquals(32L, config.point().get("trans_dim"));
        assertEquals(16, ImageBindConfig.defaults().integer("text_num_heads"));
        assertEquals(1280, ImageBindConfig.defaults().integer("vision_embed_dim"));
    }
}
