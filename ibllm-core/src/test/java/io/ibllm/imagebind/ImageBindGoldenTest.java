package io.ibllm.imagebind;

import io.ibllm.Golden;
import io.ibllm.io.Npy;
import io.ibllm.io.Safetensors;
import io.ibllm.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every tower against the reference run on the tiny golden model (outputs/imagebind/*): stem
 * tokens and trunk output of batch row 0, head output (prenorm) and postprocessed embedding
 * (postnorm), all within max|a-b| <= 1e-4 * max|ref|.
 */
class ImageBindGoldenTest {
    private static Safetensors file;
    private static ImageBindModel model;

    @BeforeAll
    static void load() {
        file = Safetensors.open(Golden.file("checkpoints/imagebind_w3D.safetensors"));
        model = ImageBindModel.load(file, ImageBindConfig.read(Golden.file("config/golden_config.json")));
    }

    @AfterAll
    static void close() { file.close(); }

    private static Tensor golden(String name) { return Npy.read(Golden.file("outputs/imagebind/" + name + ".npy")); }

    /** tokens_b0, trunk_b0 (row 0 of the batch, or clip 0 of row 0), prenorm, postnorm. */
    private static void checkTower(Modality m, String name, Tensor input, Tensor firstItem) {
        Tower tower = model.tower(m);
        Tokens t = tower.preprocessor().apply(firstItem);
        Close.check(name + "_tokens_b0", golden(name + "_tokens_b0"), t.sequence(0));
        float[] trunk = tower.trunk().forward(t);
        float[] row0 = java.util.Arrays.copyOf(trunk, t.len() * t.dim());
        Close.check(name + "_trunk_b0", golden(name + "_trunk_b0"), row0);
        checkEmbedding(m, name, input);
    }

    private static void checkEmbedding(Modality m, String name, Tensor input) {
        ImageBindModel.Embedding e = model.embed(m, input);
        Close.check(name + "_prenorm", golden(name + "_prenorm"), e.prenorm(), e.rows(), e.dim());
        Close.check(name + "_postnorm", golden(name + "_postnorm"), e.postnorm(), e.rows(), e.dim());
    }

    /** Item 0 of a batch [B, ...] (or clip 0 of item 0 for [B, S, ...]) as a batch of one. */
    private static Tensor first(Tensor x, int leading) {
        long[] s = x.shape();
        long[] one = new long[s.length - leading + 1];
        one[0] = 1;
        System.arraycopy(s, leading, one, 1, s.length - leading);
        float[] all = x.toFloatArray();
        return Tensor.f32(java.util.Arrays.copyOf(all, (int) Tensor.numel(one)), one);
    }

    /**
     * The same input gives the same bits on every call, whether the kernels ran interpreted,
     * C1- or C2-compiled (DESIGN principle 6): the first calls of a fresh JVM run the Vector API's
     * fallbacks, the later ones its intrinsics, so this failed while reductions used
     * reduceLanes(ADD) and activations the Vector API's EXP.
     */
    @Test
    void repeatedEmbeddingsAreBitIdentical() {
        Tensor x = Npy.read(Golden.file("preprocess/points.npy"));
        float[] first = model.embed(Modality.POINT, x, 628, 359, 800).postnorm();
        for (int i = 0; i < 30; i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(first, model.embed(Modality.POINT, x, 628, 359, 800).postnorm(), "call " + (i + 2));
        }
    }

    @Test
    void vision() {
        Tensor x = Npy.read(Golden.file("preprocess/vision.npy"));
        checkTower(Modality.VISION, "vision", x, first(x, 1));
    }

    @Test
    void videoOneClipThreeCrops() {
        checkEmbedding(Modality.VISION, "video", Npy.read(Golden.file("preprocess/video_clips1.npy")));
    }

    @Test
    void text() {
        Tensor ids = Npy.read(Golden.file("preprocess/text_tokens.npy"));
        long[] row0 = java.util.Arrays.copyOf(ids.toLongArray(), (int) ids.dim(1));
        Tensor first = io.ibllm.tensor.Tensor.of(io.ibllm.tensor.DType.I64, new long[] {1, row0.length},
                java.lang.foreign.MemorySegment.ofArray(row0));
        checkTower(Modality.TEXT, "text", ids, first);
    }

    @Test
    void audioThreeClips() {
        Tensor x = Npy.read(Golden.file("preprocess/audio.npy"));
        checkTower(Modality.AUDIO, "audio", x, first(x, 2));
    }

    @Test
    void depth() {
        Tensor x = Npy.read(Golden.file("inputs/depth.npy"));
        checkTower(Modality.DEPTH, "depth", x, first(x, 1));
    }

    @Test
    void thermal() {
        Tensor x = Npy.read(Golden.file("inputs/thermal.npy"));
        checkTower(Modality.THERMAL, "thermal", x, first(x, 1));
    }

    /** Point clouds (preprocess/points.npy, float64) with the reference's recorded FPS start indices. */
    @Test
    void pointWithRecordedFpsStarts() {
        Tensor x = Npy.read(Golden.file("preprocess/points.npy"));
        ImageBindModel.Embedding e = model.embed(Modality.POINT, x, 628, 359, 800);
        Close.check("point_prenorm", golden("point_prenorm"), e.prenorm(), e.rows(), e.dim());
        Close.check("point_postnorm", golden("point_postnorm"), e.postnorm(), e.rows(), e.dim());
    }

    @Test
    void imu() {
        Tensor x = Npy.read(Golden.file("inputs/imu.npy"));
        checkTower(Modality.IMU, "imu", x, first(x, 1));
    }
}
