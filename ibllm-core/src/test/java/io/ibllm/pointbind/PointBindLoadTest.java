package io.ibllm.pointbind;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.Golden;
import io.ibllm.io.FormatException;
import io.ibllm.io.Safetensors;
import io.ibllm.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict loading of the point keys and the Point-BERT config (no forward passes: fast). */
class PointBindLoadTest {
    static final PointBertConfig TINY = new PointBertConfig(32, 2, 4, 16, 32, 64);
    static Safetensors ckpt;

    @BeforeAll
    static void open() { ckpt = Safetensors.open(Golden.file("checkpoints/imagebind_w3D.safetensors")); }

    @AfterAll
    static void close() { ckpt.close(); }

    static FormatException loadFails(EditedTensorFile f) {
        return assertThrows(FormatException.class, () -> PointBindEncoder.load(f, TINY));
    }

    @Test
    void checkpointWithoutPointKeysIsAClearError() {
        EditedTensorFile huge = new EditedTensorFile(ckpt).remove(k -> k.startsWith("point_trunk.")
                || k.startsWith("modality_heads.point.") || k.startsWith("modality_postprocessors.point."));
        assertFalse(PointBindEncoder.present(huge));
        assertTrue(PointBindEncoder.present(ckpt));
        String m = loadFails(huge).getMessage();
        assertTrue(m.contains("no Point-Bind tensors") && m.contains("imagebind_w3D"), m);
    }

    @Test
    void everyPointKeyIsRequired() {
        for (String k : ckpt.names()) {
            if (!k.startsWith("point_trunk.") && !k.contains(".point.")) continue;
            String m = loadFails(new EditedTensorFile(ckpt).remove(k::equals)).getMessage();
            assertTrue(m.contains(k), "missing " + k + " → " + m);
        }
    }

    @Test
    void wrongShapeAndLeftoverKeysAreErrors() {
        String k = "point_trunk.point_encoder.blocks.blocks.1.attn.proj.bias";
        String m = loadFails(new EditedTensorFile(ckpt).put(k, Tensor.f32(new float[31], 31))).getMessage();
        assertTrue(m.contains(k) && m.contains("[31]") && m.contains("[32]"), m);
        String extra = "point_trunk.point_encoder.blocks.blocks.1.attn.qkv.bias";
        m = loadFails(new EditedTensorFile(ckpt).put(extra, Tensor.f32(new float[96], 96))).getMessage();
        assertTrue(m.contains("unexpected") && m.contains(extra), m);
    }

    @Test
    void configIsReadFromThePointObjectAndTensorsFillTheRest(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("c.json");
        Files.writeString(cfg, "{\"imagebind\": {\"vision_embed_dim\": 48}, \"point\": {\"num_heads\": 4, "
                + "\"group_size\": 16, \"num_group\": 32, \"drop_path_rate\": 0.1, \"cls_dim\": 40}}");
        PointBindEncoder enc = PointBindEncoder.load(ckpt, PointBertConfig.read(cfg), cfg);
        assertEquals(TINY, enc.config());
        assertEquals(32, enc.outDim());
        assertEquals(32, enc.minPoints());
    }

    @Test
    void configContradictingTheTensorsNamesBoth() {
        Path src = Path.of("model.json");
        Map<String, Integer> given = Map.of("trans_dim", 48, "num_heads", 4);
        String m = assertThrows(FormatException.class, () -> PointBindEncoder.load(ckpt, given, src)).getMessage();
        assertTrue(m.contains("model.json") && m.contains("trans_dim = 48") && m.contains("cls_token [1, 1, 32]"), m);
        m = assertThrows(FormatException.class,
                () -> PointBindEncoder.load(ckpt, Map.of("num_heads", 4, "depth", 12), src)).getMessage();
        assertTrue(m.contains("depth = 12") && m.contains("implies depth = 2"), m);
        m = assertThrows(FormatException.class,
                () -> PointBindEncoder.load(ckpt, Map.of("num_heads", 4, "encoder_dims", 256), src)).getMessage();
        assertTrue(m.contains("encoder_dims = 256") && m.contains("second_conv.3.weight"), m);
    }

    @Test
    void officialHeadCountDoesNotDivideTinyWidth() {
        // Without a config, num_heads is the official 6, which cannot split trans_dim 32.
        String m = assertThrows(FormatException.class, () -> PointBindEncoder.load(ckpt)).getMessage();
        assertTrue(m.contains("trans_dim 32") && m.contains("num_heads 6") && m.contains("\"point\" object"), m);
    }

    @Test
    void badConfigValuesAreErrors(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("bad.json");
        Files.writeString(cfg, "{\"point\": {\"num_head\": 4}}");
        String m = assertThrows(FormatException.class, () -> PointBertConfig.read(cfg)).getMessage();
        assertTrue(m.contains("bad.json") && m.contains("point.num_head"), m);
        Files.writeString(cfg, "{\"point\": {\"group_size\": 1.5}}");
        m = assertThrows(FormatException.class, () -> PointBertConfig.read(cfg)).getMessage();
        assertTrue(m.contains("point.group_size"), m);
        Files.writeString(cfg, "{\"point\": [1]}");
        assertThrows(FormatException.class, () -> PointBertConfig.read(cfg));
        Path src = Path.of("big.json");
        m = assertThrows(FormatException.class,
                () -> PointBindEncoder.load(ckpt, Map.of("num_heads", 4, "num_group", 100000), src)).getMessage();
        assertTrue(m.contains("big.json") && m.contains("num_group 100000 exceeds"), m);
        Files.writeString(cfg, "{\"imagebind\": {}}");
        assertEquals(Map.of(), PointBertConfig.read(cfg));
    }

    @Test
    void tooFewPointsIsAClearError() {
        PointBindEncoder enc = PointBindEncoder.load(ckpt, TINY);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> enc.embed(new float[31 * 3], 31, false, 0));
        assertTrue(e.getMessage().contains("31 points") && e.getMessage().contains("at least 32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> enc.embed(new float[40 * 3], 41, false, 0));
        assertTrue(e.getMessage().contains("120 floats"), e.getMessage());
    }
}
