package io.ibllm.media.points;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.io.Npy;
import io.ibllm.media.MediaTensors;
import io.ibllm.media.TestData;
import io.ibllm.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PointCloudsTest {
    @TempDir Path dir;

    /** Row b of preprocess/points.npy (float64) as the model sees it: .float(). */
    private static float[] goldenRow(int b) {
        Tensor ref = Npy.read(TestData.golden("preprocess/points.npy"));
        int per = Math.toIntExact(ref.numel() / ref.dim(0));
        float[] all = ref.toFloatArray(); // rounds float64 -> float32 like torch .float()
        return Arrays.copyOfRange(all, b * per, (b + 1) * per);
    }

    @Test
    void npyMatchesReferenceExactly() {
        assertArrayEquals(goldenRow(0), PointClouds.load(TestData.golden("inputs/point_0.npy")).toFloatArray());
    }

    @Test
    void binaryPlyWithDoublesMatchesReferenceExactly() {
        Tensor t = MediaTensors.points(TestData.golden("inputs/point_1.ply"));
        assertArrayEquals(new long[] {1024, 3}, t.shape());
        assertArrayEquals(goldenRow(1), t.toFloatArray());
    }

    @Test
    void torchSavedTensorMatchesReferenceExactly() {
        assertArrayEquals(goldenRow(2), PointClouds.load(TestData.golden("inputs/point_2.pt")).toFloatArray());
    }

    private float[] sample() {
        return Npy.read(TestData.golden("inputs/point_0.npy")).toFloatArray();
    }

    private float[] load(String name, byte[] content) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return PointClouds.load(f).toFloatArray();
    }

    @Test
    void asciiPlyWithFacesFirstAndExtraProperties() throws IOException {
        float[] p = sample();
        int n = p.length / 3;
        StringBuilder sb = new StringBuilder("ply\nformat ascii 1.0\ncomment x\nelement face 2\nproperty list uchar int vertex_indices\n"
                + "element vertex " + n + "\nproperty float nx\nproperty float x\nproperty float y\nproperty uchar red\nproperty float z\nend_header\n");
        sb.append("3 0 1 2\n4 0 1 2 3\n");
        for (int i = 0; i < n; i++) sb.append("0.5 ").append(p[3 * i]).append(' ').append(p[3 * i + 1]).append(" 7 ").append(p[3 * i + 2]).append('\n');
        assertArrayEquals(p, load("a.ply", sb.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void bigEndianBinaryPlyWithListInVertex() throws IOException {
        float[] p = sample();
        int n = p.length / 3;
        String header = "ply\nformat binary_big_endian 1.0\nelement vertex " + n
                + "\nproperty double x\nproperty list uchar short tags\nproperty float y\nproperty int z\nelement face 1\nproperty list uchar int idx\nend_header\n";
        ByteBuffer b = ByteBuffer.allocate(header.length() + n * (8 + 1 + 4 + 4 + 4) + 100).order(ByteOrder.BIG_ENDIAN);
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        float[] expected = new float[p.length];
        for (int i = 0; i < n; i++) {
            int tags = i % 3;
            b.putDouble(p[3 * i]).put((byte) tags);
            for (int t = 0; t < tags; t++) b.putShort((short) t);
            b.putFloat(p[3 * i + 1]).putInt(i - 5);
            expected[3 * i] = p[3 * i];
            expected[3 * i + 1] = p[3 * i + 1];
            expected[3 * i + 2] = i - 5;
        }
        b.put((byte) 1).putInt(0);
        assertArrayEquals(expected, load("b.ply", Arrays.copyOf(b.array(), b.position())));
    }

    @Test
    void pcdAsciiAndBinary() throws IOException {
        float[] p = sample();
        int n = p.length / 3;
        String head = "# .PCD v0.7\nVERSION 0.7\nFIELDS rgb x y z\nSIZE 4 4 4 4\nTYPE U F F F\nCOUNT 1 1 1 1\nWIDTH " + n
                + "\nHEIGHT 1\nVIEWPOINT 0 0 0 1 0 0 0\nPOINTS " + n + "\nDATA ";
        StringBuilder ascii = new StringBuilder(head + "ascii\n");
        for (int i = 0; i < n; i++) ascii.append("255 ").append(p[3 * i]).append(' ').append(p[3 * i + 1]).append(' ').append(p[3 * i + 2]).append('\n');
        assertArrayEquals(p, load("a.pcd", ascii.toString().getBytes(StandardCharsets.US_ASCII)));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((head + "binary\n").getBytes(StandardCharsets.US_ASCII));
        ByteBuffer b = ByteBuffer.allocate(16 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putInt(0xFFFFFF).putFloat(p[3 * i]).putFloat(p[3 * i + 1]).putFloat(p[3 * i + 2]);
        out.writeBytes(b.array());
        assertArrayEquals(p, load("b.pcd", out.toByteArray()));
    }

    @Test
    void compressedPcdWithLzf() throws IOException {
        float[] p = sample();
        int n = p.length / 3;
        ByteBuffer cols = ByteBuffer.allocate(16 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 3; k++) for (int i = 0; i < n; i++) cols.putFloat(p[3 * i + k]);
        for (int i = 0; i < n; i++) cols.putInt(7); // intensity column: long runs, back references
        byte[] packed = lzf(cols.array());
        String head = "VERSION 0.7\nFIELDS x y z intensity\nSIZE 4 4 4 4\nTYPE F F F U\nCOUNT 1 1 1 1\nWIDTH " + n
                + "\nHEIGHT 1\nPOINTS " + n + "\nDATA binary_compressed\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(packed.length).putInt(cols.capacity()).array());
        out.writeBytes(packed);
        assertTrue(packed.length < cols.capacity() - 3 * n, "test data should exercise back references");
        assertArrayEquals(p, load("c.pcd", out.toByteArray()));
    }

    /** A small greedy LZF compressor (literal runs <= 32, matches 3..264 bytes within 8 KiB). */
    private static byte[] lzf(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream lit = new ByteArrayOutputStream();
        int i = 0;
        while (i < in.length) {
            int bestLen = 0, bestDist = 0;
            for (int d = 1; d <= Math.min(i, 256); d++) {
                int len = 0;
                while (len < 264 && i + len < in.length && in[i + len] == in[i - d + len]) len++;
                if (len > bestLen) { bestLen = len; bestDist = d; }
            }
            if (bestLen >= 3) {
                flush(out, lit);
                int len = bestLen - 2, off = bestDist - 1;
                if (len < 7) out.write((len << 5) | (off >> 8));
                else { out.write((7 << 5) | (off >> 8)); out.write(len - 7); }
                out.write(off & 0xFF);
                i += bestLen;
            } else {
                lit.write(in[i++]);
                if (lit.size() == 32) flush(out, lit);
            }
        }
        flush(out, lit);
        return out.toByteArray();
    }

    private static void flush(ByteArrayOutputStream out, ByteArrayOutputStream lit) {
        if (lit.size() == 0) return;
        out.write(lit.size() - 1);
        out.writeBytes(lit.toByteArray());
        lit.reset();
    }

    @Test
    void textColumnsPtsAndObj() throws IOException {
        float[] p = sample();
        int n = p.length / 3;
        StringBuilder xyz = new StringBuilder("# comment\nx, y, z, intensity\n"), pts = new StringBuilder(n + "\n"), obj = new StringBuilder("o cloud\n");
        for (int i = 0; i < n; i++) {
            xyz.append(p[3 * i]).append(", ").append(p[3 * i + 1]).append(",").append(p[3 * i + 2]).append(",0.1\n");
            pts.append(p[3 * i]).append(' ').append(p[3 * i + 1]).append('\t').append(p[3 * i + 2]).append(" 12 255 0 0\n\n");
            obj.append("v ").append(p[3 * i]).append(' ').append(p[3 * i + 1]).append(' ').append(p[3 * i + 2]).append("\nvn 0 0 1\n");
        }
        obj.append("f 1 2 3\n");
        assertArrayEquals(p, load("a.xyz", xyz.toString().getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals(p, load("a.pts", pts.toString().getBytes(StandardCharsets.US_ASCII)));
        assertArrayEquals(p, load("a.obj", obj.toString().getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void float64NpyWithExtraColumnsKeepsXyz() throws IOException {
        Path f = dir.resolve("six.npy");
        double[] v = {1.5, 2.5, 3.5, 9, 9, 9, -1e-3, 0.1, 1e3, 8, 8, 8};
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double x : v) b.putDouble(x);
        NpyFiles.write(f, "<f8", "(2, 6)", b.array());
        assertArrayEquals(new float[] {1.5f, 2.5f, 3.5f, -1e-3f, 0.1f, 1e3f}, PointClouds.load(f).toFloatArray());
    }

    @Test
    void normalizeCentresIntoTheUnitSphere() {
        float[] p = sample();
        for (int i = 0; i < p.length; i++) p[i] = p[i] * 7 + (i % 3 == 0 ? 100 : -3);
        PointCloud c = new PointCloud(p).normalized();
        double[] mean = new double[3];
        double maxR = 0;
        for (int i = 0; i < c.size(); i++) {
            double r = 0;
            for (int k = 0; k < 3; k++) {
                mean[k] += c.xyz()[3 * i + k] / c.size();
                r += c.xyz()[3 * i + k] * (double) c.xyz()[3 * i + k];
            }
            maxR = Math.max(maxR, Math.sqrt(r));
        }
        for (double m : mean) assertEquals(0, m, 1e-6);
        assertEquals(1, maxR, 1e-6);
    }

    @Test
    void resamplingIsDeterministicAndKeepsPoints() {
        float[] p = new float[3 * 10];
        for (int i = 0; i < p.length; i++) p[i] = i;
        PointCloud c = new PointCloud(p);
        float[] down = c.resampled(4).xyz(); // points 0, 2, 5, 7
        assertArrayEquals(new float[] {0, 1, 2, 6, 7, 8, 15, 16, 17, 21, 22, 23}, down);
        PointCloud up = c.resampled(25);
        assertEquals(25, up.size());
        assertArrayEquals(Arrays.copyOfRange(p, 0, 3), Arrays.copyOfRange(up.xyz(), 30, 33)); // point 10 = point 0
        assertTrue(c.resampled(10) == c);
    }
}
