package io.ibllm.media.imu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.ibllm.io.Npy;
import io.ibllm.media.MediaTensors;
import io.ibllm.media.TestData;
import io.ibllm.media.points.NpyFiles;
import io.ibllm.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensorLoadersTest {
    @TempDir Path dir;

    @Test
    void goldenRawTensorsPassThrough() {
        for (String name : new String[] {"imu", "depth", "thermal"}) {
            Path f = TestData.golden("inputs/" + name + ".npy");
            Tensor ref = Npy.read(f);
            Tensor ours = switch (name) {
                case "imu" -> MediaTensors.imuBatch(f);
                case "depth" -> MediaTensors.depthBatch(f);
                default -> MediaTensors.thermalBatch(f);
            };
            assertArrayEquals(ref.shape(), ours.shape(), name);
            assertArrayEquals(ref.toFloatArray(), ours.toFloatArray(), name);
        }
        assertArrayEquals(new long[] {1, 224, 224}, MediaTensors.thermal(TestData.golden("inputs/thermal.npy")).shape());
    }

    @Test
    void timeMajorNpyIsTransposedAndShortRecordingsZeroPadded() throws IOException {
        int t = 300;
        ByteBuffer b = ByteBuffer.allocate(t * 6 * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < t; i++) for (int c = 0; c < 6; c++) b.putDouble(c * 1000 + i);
        Path f = dir.resolve("tm.npy");
        NpyFiles.write(f, "<f8", "(" + t + ", 6)", b.array());
        float[] v = MediaTensors.imu(f).toFloatArray();
        assertEquals(6 * 2000, v.length);
        assertEquals(3 * 1000 + 17, v[3 * 2000 + 17]);
        assertEquals(5 * 1000 + 299, v[5 * 2000 + 299]);
        assertEquals(0f, v[5 * 2000 + 300]);
    }

    @Test
    void csvWithHeaderAndTimestampIsLinearlyResampled() throws IOException {
        int t = 4001; // a ramp stays a ramp under linear interpolation: sample j lands on 2j
        StringBuilder csv = new StringBuilder("time;ax;ay;az;gx;gy;gz\n");
        for (int i = 0; i < t; i++) {
            csv.append(i * 0.005).append(';');
            for (int c = 0; c < 6; c++) csv.append(c == 0 ? i : -c * i).append(c < 5 ? ";" : "\n");
        }
        Path f = dir.resolve("rec.csv");
        Files.writeString(f, csv);
        float[] v = MediaTensors.imu(f).toFloatArray();
        for (int j = 0; j < 2000; j++) {
            assertEquals(2 * j * (4000.0 / 3998.0), v[j], 1e-3);
            assertEquals(-2 * 2 * j * (4000.0 / 3998.0), v[2 * 2000 + j], 1e-3);
        }
        assertEquals(4000f, v[1999]);
    }
}
