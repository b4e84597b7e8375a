package io.ibllm.cli;

import io.ibllm.imagebind.ImageBindModel;
import io.ibllm.imagebind.InputKind;
import io.ibllm.imagebind.ModalityInputs;
import io.ibllm.io.Npy;
import io.ibllm.model.ModelFiles;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import io.ibllm.tokenizer.ClipTokenizer;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ibllm embed}: ImageBind embeddings of inputs of any modality, one row per input in
 * command-line order (a .npy holding a batch gives one row per item).
 */
@Command(name = "embed", description = "Embed inputs with ImageBind; writes one row per input (command-line order) to an .npy.")
public final class EmbedCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--model", paramLabel = "FILE.gguf", description = "The whole model in one GGUF (ibllm convert), instead of --imagebind.")
    Path model;

    @Option(names = "--imagebind", paramLabel = "FILE", description = "ImageBind checkpoint (imagebind_w3D / imagebind_huge).")
    Path checkpoint;

    @Option(names = "--imagebind-config", paramLabel = "FILE", description = "Model config JSON {\"imagebind\": {...}, \"point\": {...}}.")
    Path config;

    @Option(names = "--image", paramLabel = "F", description = "Image; .npy [3,224,224].") List<String> images = new ArrayList<>();
    @Option(names = "--video", paramLabel = "F", description = "Video; .npy [S,3,2,224,224].") List<String> videos = new ArrayList<>();
    @Option(names = "--audio", paramLabel = "F", description = "Audio; .npy [S,1,128,204].") List<String> audios = new ArrayList<>();
    @Option(names = "--text", paramLabel = "S", description = "Text (CLIP-tokenised).") List<String> texts = new ArrayList<>();
    @Option(names = "--text-tokens", paramLabel = "F", description = "CLIP token ids, .npy int64 [77].") List<String> textTokens = new ArrayList<>();
    @Option(names = "--depth", paramLabel = "F", description = "Depth map; .npy [1,224,224].") List<String> depths = new ArrayList<>();
    @Option(names = "--thermal", paramLabel = "F", description = "Thermal image; .npy [1,224,224].") List<String> thermals = new ArrayList<>();
    @Option(names = "--imu", paramLabel = "F", description = "IMU samples; .npy [6,2000].") List<String> imus = new ArrayList<>();
    @Option(names = "--points", paramLabel = "F", description = "Point cloud; .npy [N,3].") List<String> points = new ArrayList<>();

    @Option(names = "--clips-per-video", paramLabel = "N", defaultValue = "5",
            description = "Clips per decoded video (default ${DEFAULT-VALUE}; video files need the video loader).")
    int clipsPerVideo;

    @Option(names = "--fps-start", paramLabel = "I", defaultValue = "0",
            description = "Farthest-point sampling start index in each point cloud (default ${DEFAULT-VALUE}; the reference picks one at random).")
    int fpsStart;

    @Option(names = "--prenorm", description = "Write the head outputs before the postprocessor.")
    boolean prenorm;

    @Option(names = "--out", required = true, paramLabel = "FILE.npy", description = "Output [rows, out_embed_dim] float32.")
    Path out;

    @Option(names = "--similarity", description = "Print the cosine-similarity matrix of the rows.")
    boolean similarity;

    /** An input as given: its kind, the argument, and for --text the string itself. */
    record Input(InputKind kind, String arg, boolean rawText) {}

    @Override
    public Integer call() {
        List<Input> inputs = inputsInOrder();
        if (inputs.isEmpty()) throw new IllegalArgumentException("embed: give at least one input (--image, --video, --audio, --text, ...)");
        if (fpsStart < 0) throw new IllegalArgumentException("--fps-start must be >= 0, got " + fpsStart);
        if (clipsPerVideo < 1) throw new IllegalArgumentException("--clips-per-video must be at least 1, got " + clipsPerVideo);
        List<String> names = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        try (ModelFiles files = ModelFiles.resolve(model, new ModelFiles.Originals(null, null, null, checkpoint, config), "--imagebind")) {
            ImageBindModel m = files.loadImageBind();
            ClipTokenizer clip = files.clip();
            for (Input in : inputs) embedOne(m, clip, in, names, rows);
        }
        int dim = rows.get(0).length;
        float[] data = new float[rows.size() * dim];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, data, i * dim, dim);
        Npy.writeF32(out, data, rows.size(), dim);
        if (similarity) Similarity.print(spec.commandLine().getOut(), names, data, dim);
        return 0;
    }

    private void embedOne(ImageBindModel model, ClipTokenizer clip, Input in, List<String> names, List<float[]> rows) {
        String label = (in.rawText() ? "text" : in.kind().name().toLowerCase().replace('_', '-')) + ":" + in.arg();
        Path file = in.rawText() ? null : Path.of(in.arg());
        Tensor batch = in.rawText() ? tokens(clip, in.arg())
                : ModalityInputs.read(in.kind(), file, MediaInputs.loader(in.kind()));
        ImageBindModel.Embedding e;
        try {
            e = model.embed(in.kind().modality(), batch, fpsStart);
        } catch (IllegalArgumentException | IllegalStateException ex) {
            throw new IllegalArgumentException((in.rawText() ? "--text" : file.toString()) + ": " + ex.getMessage(), ex);
        }
        for (int r = 0; r < e.rows(); r++) {
            rows.add(e.row(prenorm ? e.prenorm() : e.postnorm(), r));
            names.add(e.rows() == 1 ? label : label + "[" + r + "]");
        }
    }

    /** CLIP token ids [1, 77] of a text, as the reference's load_and_transform_text. */
    private static Tensor tokens(ClipTokenizer clip, String text) {
        long[] row = clip.tokens77(text);
        return Tensor.of(DType.I64, new long[] {1, row.length}, MemorySegment.ofArray(row));
    }

    /** The input options in command-line order (picocli keeps each option's values in order). */
    private List<Input> inputsInOrder() {
        Map<String, InputKind> kinds = Map.of("--image", InputKind.IMAGE, "--video", InputKind.VIDEO, "--audio", InputKind.AUDIO,
                "--text", InputKind.TEXT_TOKENS, "--text-tokens", InputKind.TEXT_TOKENS, "--depth", InputKind.DEPTH,
                "--thermal", InputKind.THERMAL, "--imu", InputKind.IMU, "--points", InputKind.POINTS);
        Map<String, Integer> next = new HashMap<>();
        List<Input> inputs = new ArrayList<>();
        for (ArgSpec a : spec.commandLine().getParseResult().matchedArgs()) {
            if (!(a instanceof OptionSpec o) || !kinds.containsKey(o.longestName())) continue;
            String name = o.longestName();
            @SuppressWarnings("unchecked")
            List<String> values = (List<String>) o.getValue();
            int i = next.merge(name, 1, Integer::sum) - 1;
            inputs.add(new Input(kinds.get(name), values.get(i), name.equals("--text")));
        }
        return inputs;
    }
}
