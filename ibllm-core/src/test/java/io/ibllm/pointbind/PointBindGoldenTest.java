package io.ibllm.pointbind;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.Golden;
import io.ibllm.io.Checkpoints;
import io.ibllm.io.Json;
import io.ibllm.io.Npy;
import io.ibllm.io.Safetensors;
import io.ibllm.io.TensorFile;
import io.ibllm.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Point-Bind against the reference's goldens (tiny random Point-BERT, 3 clouds of 1024 points,
 * FPS started at golden.json pointbind.fps_start_indices). Centres must be exact; everything
 * computed by float arithmetic must agree within 1e-4 · max|ref| (README: an independent fp32
 * implementation with another summation order; fp32 vs fp64 of the reference is 5e-7).
 */
class PointBindGoldenTest {
    static final double TOL = 1e-4;
    static Safetensors ckpt;
    static PointBindEncoder enc;
    static float[] points;
    static int batch, n;
    static int[] starts;
    static PointBindEncoder.Trace[] traces;

    @BeforeAll
    static void load() throws Exception {
        ckpt = Safetensors.open(Golden.file("checkpoints/imagebind_w3D.safetensors"));
        Path cfgFile = Golden.file("config/golden_config.json");
        Map<?, ?> root = (Map<?, ?>) Json.parse(Files.readString(cfgFile), cfgFile);
        enc = PointBindEncoder.load(ckpt, PointBertConfig.given((Map<?, ?>) root.get("config"), cfgFile), cfgFile);
        Tensor pts = Npy.read(Golden.file("preprocess/points.npy"));
        batch = (int) pts.dim(0);
        n = (int) pts.dim(1);
        points = pts.toFloatArray(); // float64 → float32 as the reference's points.float()
        Map<?, ?> golden = (Map<?, ?>) Json.parse(Files.readString(Golden.file("golden.json")));
        List<?> s = (List<?>) ((Map<?, ?>) golden.get("pointbind")).get("fps_start_indices");
        starts = s.stream().mapToInt(o -> ((Long) o).intValue()).toArray();
        traces = new PointBindEncoder.Trace[batch];
        for (int b = 0; b < batch; b++) traces[b] = enc.trace(points, b * n * 3, n, starts[b]);
    }

    @AfterAll
    static void close() { ckpt.close(); }

    static float[] ref(String rel) { return Npy.read(Golden.file(rel)).toFloatArray(); }

    /** Concatenation of one field over the batch. */
    interface Field { float[] of(PointBindEncoder.Trace t); }

    static float[] all(Field f) {
        int len = f.of(traces[0]).length;
        float[] out = new float[batch * len];
        for (int b = 0; b < batch; b++) System.arraycopy(f.of(traces[b]), 0, out, b * len, len);
        return out;
    }

    static void assertClose(String what, float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length, what + " length");
        double max = 0, err = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i]));
            err = Math.max(err, Math.abs(expected[i] - actual[i]));
        }
        System.out.printf("%s: max|a-b|/max|ref| = %.2e%n", what, err / max);
        assertTrue(err <= TOL * max, what + ": max|a-b| = " + err + " > " + TOL + " * max|ref| (" + max + ")");
    }

    @Test
    void configComesFromGoldenConfigAndTensors() {
        assertEquals(new PointBertConfig(32, 2, 4, 16, 32, 64), enc.config());
        assertEquals(32, enc.outDim());
    }

    @Test
    void centresAreExact() {
        assertArrayEquals(ref("outputs/pointbind/center.npy"), all(t -> t.groups().centres()));
    }

    @Test
    void neighbourhoodsMatchAsSets() {
        float[] ref = ref("outputs/pointbind/neighborhood.npy");
        float[] got = all(t -> t.groups().neighbourhoods());
        int k = enc.config().groupSize(), groups = batch * enc.config().numGroup();
        for (int g = 0; g < groups; g++) {
            List<String> a = rows(ref, g, k), b = rows(got, g, k);
            assertEquals(a, b, "neighbourhood of group " + g);
        }
    }

    /** The k points of a group as sorted strings of their exact coordinates. */
    static List<String> rows(float[] x, int g, int k) {
        String[] r = new String[k];
        for (int j = 0; j < k; j++) {
            int p = (g * k + j) * 3;
            r[j] = x[p] + "," + x[p + 1] + "," + x[p + 2];
        }
        Arrays.sort(r);
        return List.of(r);
    }

    @Test
    void groupTokens() { assertClose("group_tokens", ref("outputs/pointbind/group_tokens.npy"), all(t -> t.groupTokens())); }

    @Test
    void concatFeature() { assertClose("concat_feature", ref("outputs/pointbind/concat_feature.npy"), all(t -> t.concatFeature())); }

    @Test
    void pcEmbed() { assertClose("pc_embed", ref("outputs/pointbind/pc_embed.npy"), all(t -> t.pcEmbed())); }

    @Test
    void prenormAndPostnorm() {
        assertClose("point_prenorm", ref("outputs/imagebind/point_prenorm.npy"), all(t -> t.prenorm()));
        assertClose("point_postnorm", ref("outputs/imagebind/point_postnorm.npy"), all(t -> t.postnorm()));
    }

    /** The PyTorch .pth twin (torch.save zip, as released) loads to the same encoder. */
    @Test
    void pthCheckpointGivesTheSameEmbedding() throws Exception {
        Path cfgFile = Golden.file("config/golden_config.json");
        Map<?, ?> root = (Map<?, ?>) ((Map<?, ?>) Json.parse(Files.readString(cfgFile), cfgFile)).get("config");
        try (TensorFile pth = Checkpoints.open(Golden.file("checkpoints/imagebind_w3D.pth"))) {
            PointBindEncoder fromPth = PointBindEncoder.load(pth, PointBertConfig.given(root, cfgFile), cfgFile);
            float[] pre = fromPth.embed(Arrays.copyOf(points, n * 3), n, true, starts[0]);
            assertClose("pth prenorm", Arrays.copyOf(ref("outputs/imagebind/point_prenorm.npy"), enc.outDim()), pre);
        }
    }

    /** The batched path (FPS of all clouds side by side) and the one-cloud path give the golden embeddings. */
    @Test
    void batchedAndSingleEmbeddingMatchGolden() {
        int two = 2 * n * 3, out = enc.outDim();
        float[] post = enc.embedBatch(Arrays.copyOf(points, two), 2, n, false, Arrays.copyOf(starts, 2));
        float[] ref = ref("outputs/imagebind/point_postnorm.npy");
        assertClose("embedBatch postnorm", Arrays.copyOf(ref, 2 * out), post);
        float[] pre = enc.embed(Arrays.copyOfRange(points, two, two + n * 3), n, true, starts[2]);
        float[] refPre = ref("outputs/imagebind/point_prenorm.npy");
        assertClose("embed prenorm", Arrays.copyOfRange(refPre, 2 * out, 3 * out), pre);
    }
}
