package io.ibllm.io;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.Golden;
import io.ibllm.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaissIndexTest {
    @TempDir
    Path tmp;

    @Test
    void goldenIndexHoldsKnnVectors() {
        Tensor expected = Npy.read(Golden.file("checkpoints/knn_vectors.npy"));
        try (FaissIndex idx = FaissIndex.open(Golden.file("checkpoints/knn.index"))) {
            assertEquals(FaissIndex.Metric.INNER_PRODUCT, idx.metric());
            assertEquals(expected.dim(0), idx.count());
            assertEquals(expected.dim(1), idx.dim());
            assertArrayEquals(expected.shape(), idx.vectors().shape());
            assertArrayEquals(expected.toFloatArray(), idx.vectors().toFloatArray(), 0f);
            assertEquals(45, idx.offsetOf("vectors"));
        }
    }

    @Test
    void writerReproducesFaissBytesAndStreams() throws Exception {
        Tensor vectors = Npy.read(Golden.file("checkpoints/knn_vectors.npy"));
        Path out = tmp.resolve("ip.index");
        FaissIndex.write(out, vectors, FaissIndex.Metric.INNER_PRODUCT);
        assertArrayEquals(Files.readAllBytes(Golden.file("checkpoints/knn.index")), Files.readAllBytes(out), "same bytes as faiss.write_index");

        int d = (int) vectors.dim(1);
        float[] all = vectors.toFloatArray();
        Path l2 = tmp.resolve("l2.index");
        FaissIndex.write(l2, d, vectors.dim(0), FaissIndex.Metric.L2, i -> java.util.Arrays.copyOfRange(all, (int) i * d, (int) (i + 1) * d));
        try (FaissIndex idx = (FaissIndex) Checkpoints.open(l2)) {
            assertEquals(FaissIndex.Metric.L2, idx.metric());
            assertArrayEquals(all, idx.vectors().toFloatArray(), 0f);
        }
        Path empty = tmp.resolve("empty.index");
        FaissIndex.write(empty, 7, 0, FaissIndex.Metric.INNER_PRODUCT, i -> new float[7]);
        try (FaissIndex idx = FaissIndex.open(empty)) {
            assertEquals(0, idx.count());
            assertEquals(7, idx.dim());
        }
    }
}
