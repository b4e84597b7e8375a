package io.ibllm.cli;

import io.ibllm.io.Json;
import io.ibllm.io.Npy;
import io.ibllm.io.Checkpoints;
import io.ibllm.io.TensorFile;
import io.ibllm.io.TorchCheckpoint;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ibllm inspect FILE...}: format and tensor table of any supported file. */
@Command(name = "inspect", description = "Print the format and tensors (name, dtype, shape, offset) of checkpoint files.")
public final class InspectCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE")
    List<Path> files;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        List<Object> out = new ArrayList<>();
        for (Path f : files) {
            Map<String, Object> info = describe(f);
            if (json) out.add(info);
            else print(info);
        }
        if (json) System.out.println(Json.write(files.size() == 1 ? out.get(0) : out));
        return 0;
    }

    static Map<String, Object> describe(Path f) {
        String name = f.getFileName().toString().toLowerCase();
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("file", f.toString());
        if (name.endsWith(".npy")) {
            Tensor t = Npy.read(f);
            info.put("format", "npy");
            info.put("tensors", List.of(row("array", t, 0)));
            return info;
        }
        try (TensorFile tf = Checkpoints.open(f)) {
            info.put("format", tf.format());
            if (tf instanceof TorchCheckpoint tc) info.put("globals", List.copyOf(tc.globals()));
            List<Object> rows = new ArrayList<>();
            for (var e : tf.tensors().entrySet()) rows.add(row(e.getKey(), e.getValue(), tf.offsetOf(e.getKey())));
            info.put("tensors", rows);
        }
        return info;
    }

    static Map<String, Object> row(String name, Tensor t, long offset) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", name);
        r.put("dtype", t.dtype().name());
        r.put("shape", t.shape());
        r.put("offset", offset);
        return r;
    }

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> info) {
        System.out.println(info.get("file") + ": " + info.get("format"));
        if (info.get("globals") instanceof List<?> g) System.out.println("  globals: " + String.join(", ", (List<String>) g));
        for (Object o : (List<Object>) info.get("tensors")) {
            Map<String, Object> r = (Map<String, Object>) o;
            System.out.printf("  %-60s %-5s %-20s @%d%n", r.get("name"), r.get("dtype"),
                    java.util.Arrays.toString((long[]) r.get("shape")), (long) r.get("offset"));
        }
    }
}
