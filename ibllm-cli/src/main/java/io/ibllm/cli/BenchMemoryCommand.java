package io.ibllm.cli;

import io.ibllm.io.Json;
import io.ibllm.model.ModelConverter;
import io.ibllm.model.ModelFiles;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ibllm bench memory}: the memory and start-up targets of issue 7 measured on the ordinary
 * user path. Writes the original files with random weights of real shapes (SyntheticOriginals),
 * converts them as {@code ibllm convert} does, then answers an image question twice in child JVMs
 * (same java, classpath and JVM flags): from the GGUF and from the original files. Peak RSS is the
 * child's VmHWM (Linux /proc), polled by this process every 50 ms and read by the child itself at
 * its end (the larger is reported); times come from the child's {@code generate --timings} line.
 */
@Command(name = "memory", description = "Peak RSS and time to first token of an image answer from synthetic files of real shapes.")
public final class BenchMemoryCommand implements Callable<Integer> {
    static final long TARGET_RSS = 8L << 30;
    static final double FIRST_TOKEN_OVERHEAD_S = 2.0;
    private static final String PROMPT = "What is in this image?";

    @Option(names = "--synthetic", required = true, paramLabel = "7b|tiny",
            description = "Geometry: 7b (LLaMA-7B + ImageBind-huge + Point-BERT; writes ~25 GB) or tiny (a few MB, a smoke run).")
    String synthetic;

    @Option(names = "--dir", paramLabel = "DIR", description = "Where to write the files (kept); default: a temp folder deleted at the end.")
    Path dir;

    @Option(names = "--type", defaultValue = "q4_0", paramLabel = "T", description = "GGUF LLaMA type: f32, f16, q8_0, q4_0 (default ${DEFAULT-VALUE}).")
    String type;

    @Option(names = "--encoder-type", defaultValue = "f16", paramLabel = "T", description = "GGUF ImageBind type: f32 or f16 (default ${DEFAULT-VALUE}).")
    String encoderType;

    @Option(names = "--max-tokens", defaultValue = "8", paramLabel = "N", description = "Answer tokens per run (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--java-opts", paramLabel = "OPTS", description = "Extra JVM options for the child runs, e.g. \"-Xmx6g\" (after the launcher's).")
    String javaOpts;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        SyntheticOriginals.Geometry g = SyntheticOriginals.named(synthetic);
        DType llamaType = ConvertCommand.dtype("--type", type);
        DType encType = ConvertCommand.dtype("--encoder-type", encoderType);
        new ModelConverter.Options(null, llamaType, encType, null, null); // checks the types before anything is written
        if (maxTokens < 1) throw new IllegalArgumentException("--max-tokens must be at least 1");
        SyntheticOriginals files = new SyntheticOriginals(g);
        Path root = dir != null ? prepare(dir) : Files.createTempDirectory("ibllm-bench-memory");
        try {
            return run(files, root, llamaType, encType);
        } finally {
            if (dir == null) deleteTree(root);
        }
    }

    /** Creates DIR if needed; an unwritable one is a one-line error naming --dir. */
    private static Path prepare(Path d) {
        try {
            Files.createDirectories(d);
            Path probe = Files.createTempFile(d, ".ibllm-probe", ".tmp");
            Files.delete(probe);
            return d;
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("--dir " + d + " is not writable: " + e.getMessage());
        }
    }

    private int run(SyntheticOriginals files, Path root, DType llamaType, DType encType) throws IOException {
        Map<String, Long> planned = files.plannedBytes(root);
        long need = planned.values().stream().mapToLong(Long::longValue).sum() + ggufEstimate(files, llamaType, encType);
        long free = Files.getFileStore(root).getUsableSpace();
        if (free < need) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--dir %s has %.1f GB free, the files and the GGUF need about %.1f GB",
                    root, free / 1e9, need / 1e9));
        }
        long t0 = System.nanoTime();
        files.write(root, f -> { if (!json) System.err.println("writing " + f); });
        double writeS = (System.nanoTime() - t0) / 1e9;
        Path config = files.imagebindConfig(root);
        Path gguf = root.resolve("model-" + llamaType.name().toLowerCase(Locale.ROOT) + ".gguf");
        if (!json) System.err.println("converting to " + gguf.getFileName());
        long t1 = System.nanoTime();
        ModelConverter.convert(new ModelConverter.Options(new ModelFiles.Originals(files.llamaDir(root), root.resolve(SyntheticOriginals.TOKENIZER),
                root.resolve(SyntheticOriginals.ADAPTER), root.resolve(SyntheticOriginals.IMAGEBIND), config), llamaType, encType, null, gguf),
                (t, done, total) -> {});
        double convertS = (System.nanoTime() - t1) / 1e9;
        Path image = root.resolve("image.png");
        writeImage(image);

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("synthetic", synthetic.toLowerCase(Locale.ROOT));
        r.put("dir", root.toAbsolutePath().toString());
        r.put("type", llamaType.name().toLowerCase(Locale.ROOT));
        r.put("encoder_type", encType.name().toLowerCase(Locale.ROOT));
        Map<String, Object> sizes = new LinkedHashMap<>();
        for (String f : planned.keySet()) sizes.put(f, Files.size(root.resolve(f)));
        sizes.put(gguf.getFileName().toString(), Files.size(gguf));
        r.put("files_bytes", sizes);
        r.put("write_s", round(writeS));
        r.put("convert_s", round(convertS));
        r.put("rss_method", "VmHWM of /proc/<pid>/status, polled by the parent every 50 ms and read by the child at its end (the larger)");
        if (!json) System.err.println("answering from the GGUF");
        Map<String, Object> fromGguf = child(List.of("--model", gguf.toString(), "--image", image.toString()));
        long peak = ((Number) fromGguf.get("peak_rss_bytes")).longValue();
        fromGguf.put("target_peak_rss_bytes", TARGET_RSS);
        fromGguf.put("peak_rss_ratio", round((double) peak / TARGET_RSS));
        double firstTokenTarget = FIRST_TOKEN_OVERHEAD_S + ((Number) fromGguf.get("prefill_s")).doubleValue();
        fromGguf.put("target_first_token_s", round(firstTokenTarget));
        fromGguf.put("first_token_ratio", round(((Number) fromGguf.get("first_token_s")).doubleValue() / firstTokenTarget));
        r.put("gguf", fromGguf);
        if (!json) System.err.println("answering from the original files");
        List<String> pth = new ArrayList<>(List.of("--llama-dir", files.llamaDir(root).toString(), "--tokenizer", root.resolve(SyntheticOriginals.TOKENIZER).toString(),
                "--adapter", root.resolve(SyntheticOriginals.ADAPTER).toString(), "--imagebind", root.resolve(SyntheticOriginals.IMAGEBIND).toString()));
        if (config != null) pth.addAll(List.of("--imagebind-config", config.toString()));
        pth.addAll(List.of("--image", image.toString()));
        r.put("pth", child(pth));
        if (json) System.out.println(Json.write(r));
        else print(r);
        return 0;
    }

    /** Rough GGUF size for the free-space check: the source bytes scaled by the stored types (+2 %). */
    private static long ggufEstimate(SyntheticOriginals files, DType llamaType, DType encType) {
        double bytes = 0;
        for (var p : files.llamaPlan()) {
            long n = Tensor.numel(p.shape());
            bytes += p.shape().length == 2 ? Math.max(llamaType.byteSize(n), DType.Q8_0.byteSize(n) / 2) : 4.0 * n; // Q4_0 keeps the ends Q8_0
        }
        for (var p : files.adapterPlan()) bytes += 4.0 * Tensor.numel(p.shape());
        for (var p : files.imagebindPlan()) bytes += (p.shape().length >= 2 ? encType.byteSize(1) : 4.0) * Tensor.numel(p.shape());
        return (long) (bytes * 1.02) + (16L << 20);
    }

    /** Runs {@code ibllm generate ... --timings} in a child JVM; its timings, peak RSS and max heap. */
    private Map<String, Object> child(List<String> modelArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-javaagent") && !a.startsWith("-agentlib") && !a.startsWith("-agentpath") && !a.startsWith("-Xrunjdwp")) cmd.add(a);
        }
        if (javaOpts != null && !javaOpts.isBlank()) cmd.addAll(List.of(javaOpts.trim().split("\\s+")));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "generate"));
        cmd.addAll(modelArgs);
        cmd.addAll(List.of("--prompt", PROMPT, "--max-tokens", String.valueOf(maxTokens), "--json", "--timings"));
        Path out = Files.createTempFile("ibllm-bench-memory", ".out"), err = Files.createTempFile("ibllm-bench-memory", ".err");
        try {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            Path status = Path.of("/proc", String.valueOf(p.pid()), "status");
            long polled = -1;
            try {
                while (p.isAlive()) {
                    polled = Math.max(polled, PeakRss.of(status));
                    Thread.sleep(50);
                }
                p.waitFor();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            double wallS = (System.nanoTime() - start) / 1e9;
            List<String> errLines = Files.readAllLines(err);
            Map<?, ?> t = errLines.reversed().stream().filter(l -> l.startsWith("{") && l.contains("\"first_token_ms\""))
                    .findFirst().map(l -> (Map<?, ?>) Json.parse(l)).orElse(null);
            if (p.exitValue() != 0 || t == null) {
                String last = errLines.stream().filter(l -> !l.isBlank() && !l.contains("incubator modules")).reduce((a, b) -> b).orElse("no output");
                throw new IllegalStateException("the child generate run failed (exit " + p.exitValue() + "): " + last);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            long self = ((Number) t.get("peak_rss_bytes")).longValue();
            m.put("peak_rss_bytes", Math.max(polled, self));
            m.put("peak_rss_polled_bytes", polled);
            m.put("peak_rss_child_bytes", self);
            m.put("heap_max_bytes", t.get("heap_max_bytes"));
            m.put("load_s", round(num(t, "load_ms") / 1000));
            m.put("first_token_s", round(num(t, "first_token_ms") / 1000));
            m.put("prefill_s", round(num(t, "prefill_ms") / 1000));
            m.put("encode_s", round(num(t, "encode_ms") / 1000));
            m.put("decode_tok_s", t.get("decode_tok_s"));
            m.put("tokens", t.get("tokens"));
            m.put("total_s", round(num(t, "total_ms") / 1000));
            m.put("wall_s", round(wallS));
            return m;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static double num(Map<?, ?> m, String k) { return ((Number) m.get(k)).doubleValue(); }

    /** A 320x240 colour gradient PNG, the question's image. */
    private static void writeImage(Path p) throws IOException {
        BufferedImage img = new BufferedImage(320, 240, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 240; y++) for (int x = 0; x < 320; x++) img.setRGB(x, y, (x * 255 / 319) << 16 | (y * 255 / 239) << 8 | ((x ^ y) & 0xFF));
        ImageIO.write(img, "png", p.toFile());
    }

    private void print(Map<String, Object> r) {
        System.out.printf(Locale.ROOT, "synthetic %s: files written in %.1f s, converted (%s, encoder %s) in %.1f s%n",
                r.get("synthetic"), r.get("write_s"), r.get("type"), r.get("encoder_type"), r.get("convert_s"));
        ((Map<?, ?>) r.get("files_bytes")).forEach((f, b) -> System.out.printf(Locale.ROOT, "  %-32s %,15d bytes%n", f, b));
        for (String k : List.of("gguf", "pth")) {
            Map<?, ?> m = (Map<?, ?>) r.get(k);
            System.out.printf(Locale.ROOT, "from %s: peak RSS %.2f GiB (heap max %.2f GiB), load %.2f s, first token %.2f s after JVM start"
                            + " (prefill %.2f s), %s tokens, %.2f s in all%n", k.equals("gguf") ? "the GGUF" : "the .pth files",
                    num(m, "peak_rss_bytes") / (1L << 30), num(m, "heap_max_bytes") / (1L << 30), num(m, "load_s"), num(m, "first_token_s"),
                    num(m, "prefill_s"), m.get("tokens"), num(m, "total_s"));
        }
        Map<?, ?> gg = (Map<?, ?>) r.get("gguf");
        System.out.printf(Locale.ROOT, "targets: peak RSS %.2f of 8 GiB; first token %.2f of (2 s + prefill) = %.2f s%n",
                num(gg, "peak_rss_ratio"), num(gg, "first_token_ratio"), num(gg, "target_first_token_s"));
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }

    private static double round(double v) { return Math.round(v * 1000) / 1000.0; }
}
