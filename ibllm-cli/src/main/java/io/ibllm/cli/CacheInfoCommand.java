package io.ibllm.cli;

import io.ibllm.bind.CacheBuilder;
import io.ibllm.bind.VisualCache;
import io.ibllm.io.FaissIndex;
import io.ibllm.io.FormatException;
import io.ibllm.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ibllm cache info}: count, dimension and metric of a cache file, and its images sidecar. */
@Command(name = "info", description = "Print a cache's vector count, dimension, metric and images sidecar.")
public final class CacheInfoCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "A FAISS flat index (IndexFlatIP / IndexFlatL2) or [N, D] .npy.")
    Path file;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        try (VisualCache c = VisualCache.open(file)) {
            m.put("file", file.toString());
            m.put("count", c.size());
            m.put("dim", c.dim());
            m.put("metric", c.metric() == FaissIndex.Metric.L2 ? "L2" : "inner_product");
            m.put("bytes", Files.size(file));
            Path images = CacheBuilder.sidecar(file, ".images.txt");
            if (Files.exists(images)) {
                List<String> names = Files.readAllLines(images, StandardCharsets.UTF_8);
                if (names.size() != c.size()) {
                    throw new FormatException(images, "names " + names.size() + " images, the cache holds " + c.size() + " vectors");
                }
                m.put("images", images.toString());
            }
        }
        if (json) {
            System.out.println(Json.write(m));
        } else {
            System.out.printf("%s: %d vectors x %d float32, metric %s%n", file, m.get("count"), m.get("dim"), m.get("metric"));
            if (m.containsKey("images")) System.out.println("images: " + m.get("images") + " (row i = line i)");
        }
        return 0;
    }
}
