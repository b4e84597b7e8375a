package io.ibllm.cli;

import io.ibllm.io.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ibllm inspect FILE...}: format and tensor table of any supported file (.pth/.pt,
 * .safetensors, .gguf, FAISS flat index, .npy), plus the pickle's globals, GGUF metadata or
 * the index's dimension, count and metric. A file that cannot be read gives the one-line
 * error and a non-zero exit code; the other files are still described.
 */
@Command(name = "inspect", description = "Print the format and tensors (name, dtype, shape, byte offset) of checkpoint files.")
public final class InspectCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Option(names = "--json", description = "Print JSON (one object, or an array for several files).")
    boolean json;

    @Override
    public Integer call() {
        List<Object> out = new ArrayList<>();
        int status = 0;
        for (Path f : files) {
            try {
                Map<String, Object> info = FileDescription.describe(f);
                if (json) out.add(info);
                else print(info);
            } catch (RuntimeException e) {
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                System.err.println("ibllm: " + msg.lines().findFirst().orElse(msg));
                status = 1;
            }
        }
        if (json && !out.isEmpty()) System.out.println(Json.write(files.size() == 1 ? out.getFirst() : out));
        return status;
    }

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> info) {
        System.out.println(info.get("file") + ": " + info.get("format"));
        for (var e : info.entrySet()) {
            switch (e.getKey()) {
                case "file", "format", "tensors" -> { }
                case "globals" -> System.out.println("  globals: " + String.join(", ", (List<String>) e.getValue()));
                case "metadata" -> ((Map<String, Object>) e.getValue()).forEach((k, v) -> System.out.println("  " + k + " = " + Json.write(v)));
                default -> System.out.println("  " + e.getKey() + ": " + e.getValue());
            }
        }
        for (Object o : (List<Object>) info.get("tensors")) {
            Map<String, Object> r = (Map<String, Object>) o;
            System.out.printf("  %-60s %-5s %-20s @%d%n", r.get("name"), r.get("dtype"), Arrays.toString((long[]) r.get("shape")), (long) r.get("offset"));
        }
    }
}
