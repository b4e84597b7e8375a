package io.ibllm.cli;

import io.ibllm.api.ImageBindLLM;
import io.ibllm.api.Input;
import io.ibllm.api.ModelPaths;
import io.ibllm.api.Request;
import io.ibllm.api.Result;
import io.ibllm.api.Sampling;
import io.ibllm.api.Timings;
import io.ibllm.api.TokenListener;
import io.ibllm.io.Json;
import io.ibllm.io.Npy;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ibllm generate}: answer an instruction over weighted inputs with ImageBind-LLM.
 * Inputs are normalised and mixed (spec §5), optionally blended with the visual cache (§4),
 * sent through the bind network and injected into every adapted layer; without inputs the model
 * answers as an instruction-tuned LLaMA (no injection).
 */
@Command(name = "generate", sortOptions = false,
        description = {"Answer an instruction with ImageBind-LLM, streaming the answer to stdout.",
                "Without inputs (or --bind-input) no visual injection happens: the model answers as an"
                        + " instruction-tuned LLaMA."})
public final class GenerateCommand implements Callable<Integer>, Inputs.Holder {

    @Mixin
    ModelOptions files;

    @Mixin
    AnswerOptions answer;

    @Option(names = "--embedding", paramLabel = "FILE.npy", parameterConsumer = Inputs.Consumer.class,
            description = "A precomputed ImageBind embedding ([D] or [1, D] .npy); repeatable, mixed in order.")
    List<String> embeddingOption; // filled through Inputs.Consumer, in order with the other inputs

    @Option(names = "--image", paramLabel = "FILE", parameterConsumer = Inputs.Consumer.class,
            description = "Image input (PNG, JPEG, BMP, GIF, TIFF, WebP). Media inputs need --imagebind unless --model; all inputs mix in command-line order.")
    List<String> imageOption; // each media option is filled through Inputs.Consumer, in order
    @Option(names = "--video", paramLabel = "FILE", parameterConsumer = Inputs.Consumer.class, description = "Video input (MP4, WebM, MKV, AVI, MOV).")
    List<String> videoOption;
    @Option(names = "--audio", paramLabel = "FILE", parameterConsumer = Inputs.Consumer.class, description = "Audio input (WAV; MP3, FLAC, OGG, M4A).")
    List<String> audioOption;
    @Option(names = "--points", paramLabel = "FILE", parameterConsumer = Inputs.Consumer.class, description = "Point cloud (npy, ply, pt, pcd, xyz, obj).")
    List<String> pointsOption;
    @Option(names = "--depth", paramLabel = "FILE", parameterConsumer = Inputs.Consumer.class, description = "Depth map (.npy or grayscale image).")
    List<String> depthOption;
    @Option(names = "--thermal", paramLabel = "FILE", parameterConsumer = Inputs.Consumer.class, description = "Thermal image (.npy or grayscale image).")
    List<String> thermalOption;
    @Option(names = "--imu", paramLabel = "FILE", parameterConsumer = Inputs.Consumer.class, description = "IMU recording (.npy or .csv, 6 channels).")
    List<String> imuOption;

    @Option(names = "--text", paramLabel = "TEXT", parameterConsumer = Inputs.Consumer.class,
            description = "A text input embedded by ImageBind's text tower (the instruction is --prompt).")
    List<String> textOption; // filled through Inputs.Consumer

    @Option(names = "--fps-start", paramLabel = "I", defaultValue = "0",
            description = "Farthest-point sampling start index for point clouds (default ${DEFAULT-VALUE}; the reference draws it at random).")
    int fpsStart;

    @Option(names = "--weights", split = ",", paramLabel = "W1,W2,...",
            description = "One weight per input, in command-line order (default 1 each).")
    List<Float> weights;

    @Option(names = "--bind-input", paramLabel = "FILE.npy",
            description = "The exact vector entering the bind network; bypasses mixing and the cache.")
    Path bindInput;

    @Option(names = "--no-cache", description = "Do not use the visual cache recorded in the --model GGUF.")
    boolean noCache;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "The instruction (read from stdin when absent).")
    String prompt;

    @Option(names = "--input", paramLabel = "TEXT", description = "Optional input text (Alpaca template with input).")
    String input;

    @Option(names = "--json", description = "Print one JSON object {prompt_ids, ids, text} instead of streaming.")
    boolean json;

    @Option(names = "--timings", description = {"Also print one JSON line to stderr: load_ms, first_token_ms and total_ms (from JVM start),",
            "encode_ms, bind_ms, prefill_ms, decode_ms, decode_tok_s, tokens, heap_max_bytes, peak_rss_bytes."})
    boolean timings;

    @Option(names = "--save-logits", paramLabel = "FILE.npy", description = "Also write the logits of every step [steps, vocab] (for checks).")
    Path saveLogits;

    private final Inputs inputs = new Inputs();

    @Override
    public Inputs inputs() { return inputs; }

    @Override
    public Integer call() throws IOException {
        String instruction = prompt != null ? prompt : new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
        if (instruction.isEmpty()) throw new IllegalArgumentException("empty instruction: give --prompt TEXT or text on stdin");
        Sampling sampling = answer.sampling();
        checkInputs();
        long loadStart = System.nanoTime();
        try (ImageBindLLM llm = ImageBindLLM.load(paths())) {
            double loadMs = (System.nanoTime() - loadStart) / 1e6;
            Request.Builder request = Request.builder(instruction).input(input).sampling(sampling).keepLogits(saveLogits != null);
            if (bindInput != null) request.bindInput(llm.readEmbedding(bindInput));
            float[] w = inputs.weights(weights);
            for (int i = 0; i < w.length; i++) request.add(apiInput(inputs.list().get(i)).weight(w[i]));
            boolean useCache = !inputs.isEmpty() && !noCache && (files.cache != null || llm.hasCache()); // a GGUF's recorded cache by default
            request.cache(answer.cache(useCache));
            PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
            long[] firstToken = {-1};
            TokenListener print = json ? TokenListener.NONE : TokenListener.printingTo(out);
            Result r = llm.generate(request.build(), new TokenListener() {
                @Override
                public void onToken(int id, String text) {
                    if (firstToken[0] < 0) firstToken[0] = ManagementFactory.getRuntimeMXBean().getUptime();
                    print.onToken(id, text);
                }

                @Override
                public void finish(String rest) { print.finish(rest); }
            });
            if (saveLogits != null) saveLogits(r.stepLogits());
            if (json) out.println(Json.write(result(r)));
            if (timings) System.err.println(Json.write(timings(loadMs, firstToken[0], r.timings())));
        }
        return 0;
    }

    /** --model or the original files (ImageBind when media or texts are given). */
    private ModelPaths paths() {
        if (files.model == null && files.imagebind == null && inputs.list().stream().anyMatch(i -> i.kind() != Inputs.Kind.EMBEDDING)) {
            throw new IllegalArgumentException("media and text inputs need --imagebind FILE (or --model FILE.gguf)");
        }
        return noCache ? files.files().withoutRecordedCache() : files.files();
    }

    /** A command-line input as the API takes it. */
    private Input apiInput(Inputs.Input in) {
        return switch (in.kind()) {
            case TEXT -> Input.text(in.source());
            case POINTS -> Input.of(Input.Kind.POINTS, Path.of(in.source())).fpsStart(fpsStart);
            default -> Input.of(Input.Kind.valueOf(in.kind().name()), Path.of(in.source()));
        };
    }

    /** --bind-input excludes inputs and the cache; the cache and --weights need inputs. */
    private void checkInputs() {
        if (bindInput != null && (!inputs.isEmpty() || files.cache != null)) {
            throw new IllegalArgumentException("--bind-input bypasses mixing and the cache: do not combine it with inputs or --cache");
        }
        if (bindInput == null && inputs.isEmpty()) {
            if (files.cache != null) throw new IllegalArgumentException("--cache needs at least one input to look up");
            if (weights != null) throw new IllegalArgumentException("--weights given without inputs");
        }
    }

    private void saveLogits(List<float[]> steps) {
        if (steps.isEmpty()) throw new IllegalArgumentException("--save-logits: no step was run (max tokens 0 or a full context)");
        int vocab = steps.getFirst().length;
        float[] all = new float[steps.size() * vocab];
        for (int i = 0; i < steps.size(); i++) System.arraycopy(steps.get(i), 0, all, i * vocab, vocab);
        Npy.writeF32(saveLogits, all, steps.size(), vocab);
    }

    /** The --timings line: where the time and memory of this run went. */
    private static Map<String, Object> timings(double loadMs, long firstTokenMs, Timings t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("load_ms", round(loadMs));
        m.put("first_token_ms", firstTokenMs);
        m.put("encode_ms", round(t.encodeMs()));
        m.put("bind_ms", round(t.bindMs()));
        m.put("prefill_ms", round(t.prefillMs()));
        m.put("decode_ms", round(t.decodeMs()));
        m.put("prompt_tokens", t.promptTokens());
        m.put("tokens", t.tokens());
        m.put("decode_tok_s", round(t.decodeTokensPerSecond()));
        m.put("total_ms", ManagementFactory.getRuntimeMXBean().getUptime());
        m.put("heap_max_bytes", Runtime.getRuntime().maxMemory());
        m.put("peak_rss_bytes", PeakRss.self());
        return m;
    }

    private static double round(double v) { return Math.round(v * 1000) / 1000.0; }

    private static Map<String, Object> result(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prompt_ids", Arrays.stream(r.promptIds()).boxed().toList());
        m.put("ids", Arrays.stream(r.ids()).boxed().toList());
        m.put("text", r.text());
        return m;
    }
}
