package io.ibllm.pointbind;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.imagebind.ImageBindConfig;
import io.ibllm.imagebind.Modality;
import io.ibllm.imagebind.SyntheticCheckpoint;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of the reference network that hold at any size, checked on a random model whose
 * sizes differ from the golden set's (odd widths, 3 heads, group_size 8 > num_group/…):
 * the embedding is a function of the point SET (permuting the cloud, with the FPS start moved
 * along, changes nothing), and a cloud's embedding does not depend on its batch neighbours.
 */
class PointBindInvarianceTest {
    static final PointBertConfig CFG = new PointBertConfig(24, 3, 3, 8, 20, 40);

    /** Random weights of CFG's sizes with a 16-wide head. */
    static SyntheticCheckpoint model(long seed) {
        ImageBindConfig c = ImageBindConfig.fromJson(Map.of("imagebind", Map.of("out_embed_dim", 16L)), null);
        return SyntheticCheckpoint.create(c, CFG, EnumSet.of(Modality.POINT), seed);
    }

    static float[] cloud(Random r, int n) {
        float[] p = new float[3 * n];
        for (int i = 0; i < p.length; i++) p[i] = (float) r.nextGaussian() * 0.4f;
        return p;
    }

    @Test
    void embeddingDependsOnThePointSetOnly() {
        PointBindEncoder enc = PointBindEncoder.load(model(5), CFG);
        assertEquals(CFG, enc.config());
        assertEquals(16, enc.outDim());
        Random r = new Random(9);
        int n = 301, start = 17;
        float[] p = cloud(r, n);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        float[] q = new float[3 * n];
        int moved = -1;
        for (int i = 0; i < n; i++) {
            System.arraycopy(p, 3 * perm[i], q, 3 * i, 3);
            if (perm[i] == start) moved = i;
        }
        PointBindEncoder.Trace a = enc.trace(p, 0, n, start), b = enc.trace(q, 0, n, moved);
        assertArrayEquals(a.groups().centres(), b.groups().centres());
        float[] x = a.postnorm(), y = b.postnorm();
        double norm = 0;
        for (float v : x) norm += v * v;
        assertEquals(1.0, Math.sqrt(norm), 1e-5, "postnorm is unit length (point logit scale 1)");
        for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], 1e-5, "component " + i);
    }

    @Test
    void batchMembersAreIndependent() {
        PointBindEncoder enc = PointBindEncoder.load(model(6), CFG);
        Random r = new Random(4);
        int n = 64;
        float[] a = cloud(r, n), b = cloud(r, n);
        float[] both = new float[6 * n];
        System.arraycopy(a, 0, both, 0, 3 * n);
        System.arraycopy(b, 0, both, 3 * n, 3 * n);
        float[] batch = enc.embedBatch(both, 2, n, true, new int[] {3, 60});
        float[] alone = enc.embed(b, n, true, 60);
        for (int i = 0; i < alone.length; i++) assertEquals(alone[i], batch[16 + i], 1e-5 * Math.max(1, Math.abs(alone[i])));
        assertNotEquals(batch[0], batch[16], "different clouds embed differently");
    }
}
