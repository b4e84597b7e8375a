package io.ibllm.cli;

import io.ibllm.bind.Mixer;
import io.ibllm.bind.VisualCache;
import io.ibllm.io.FormatException;
import io.ibllm.io.Json;
import io.ibllm.io.Npy;
import io.ibllm.llama.AdapterPrompt;
import io.ibllm.llama.Generator;
import io.ibllm.llama.LlamaAdapter;
import io.ibllm.llama.LlamaConfig;
import io.ibllm.model.ModelFiles;
import io.ibllm.llama.PromptTemplate;
import io.ibllm.llama.Sampler;
import io.ibllm.tensor.Tensor;
import io.ibllm.tokenizer.SentencePieceTokenizer;
import io.ibllm.tokenizer.TokenDecoder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
    @Option(names = "--model", paramLabel = "FILE.gguf", description = "The whole model in one GGUF (ibllm convert), instead of the three files below.")
    Path model;

    @Option(names = "--llama-dir", paramLabel = "DIR",
            description = "Folder holding params.json and consolidated.*.pth (or its parent, if that has exactly one such folder).")
    Path llamaDir;

    @Option(names = "--tokenizer", paramLabel = "FILE", description = "LLaMA tokenizer.model.")
    Path tokenizer;

    @Option(names = "--adapter", paramLabel = "FILE", description = "ImageBind-LLM checkpoint (7B.pth or 7B-beta.pth).")
    Path adapter;

    @Option(names = "--embedding", paramLabel = "FILE.npy", parameterConsumer = Inputs.Consumer.class,
            description = "A precomputed ImageBind embedding ([D] or [1, D] .npy); repeatable, mixed in order.")
    List<String> embeddingOption; // filled through Inputs.Consumer, in order with the other inputs

    @Option(names = "--weights", split = ",", paramLabel = "W1,W2,...",
            description = "One weight per input, in command-line order (default 1 each).")
    List<Float> weights;

    @Option(names = "--bind-input", paramLabel = "FILE.npy",
            description = "The exact vector entering the bind network; bypasses mixing and the cache.")
    Path bindInput;

    @Option(names = "--cache", paramLabel = "FILE", description = "Visual cache: a FAISS flat index (the reference's knn.index, or one from 'ibllm cache build'; memory-mapped) or an [N, D] .npy of image embeddings.")
    Path cache;

    @Option(names = "--cache-size", paramLabel = "K", defaultValue = "10", description = "Neighbours blended (default ${DEFAULT-VALUE}).")
    int cacheSize;

    @Option(names = "--cache-t", paramLabel = "T", defaultValue = "20", description = "Softmax temperature over similarities (default ${DEFAULT-VALUE}).")
    float cacheT;

    @Option(names = "--cache-weight", paramLabel = "A", defaultValue = "0.5", description = "Share of the cache prototype (default ${DEFAULT-VALUE}).")
    float cacheWeight;

    @Option(names = "--prompt", paramLabel = "TEXT", description = "The instruction (read from stdin when absent).")
    String prompt;

    @Option(names = "--input", paramLabel = "TEXT", description = "Optional input text (Alpaca template with input).")
    String input;

    @Option(names = "--temperature", defaultValue = "0.1", description = "0 = greedy (default ${DEFAULT-VALUE}, as the reference demo).")
    float temperature;

    @Option(names = "--top-p", defaultValue = "0.75", description = "Nucleus mass (default ${DEFAULT-VALUE}).")
    float topP;

    @Option(names = "--max-tokens", defaultValue = "256", description = "Most tokens to generate (default ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed; the same seed gives the same answer (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--context", defaultValue = "512", description = "Context length in tokens, prompt + answer (default ${DEFAULT-VALUE}, at most 2048).")
    int context;

    @Option(names = "--json", description = "Print one JSON object {prompt_ids, ids, text} instead of streaming.")
    boolean json;

    @Option(names = "--save-logits", paramLabel = "FILE.npy", description = "Also write the logits of every step [steps, vocab] (for checks).")
    Path saveLogits;

    private final Inputs inputs = new Inputs();

    @Override
    public Inputs inputs() { return inputs; }

    @Override
    public Integer call() throws IOException {
        if (context < 1 || context > LlamaConfig.MAX_CONTEXT) throw new IllegalArgumentException("--context must be 1.." + LlamaConfig.MAX_CONTEXT);
        String instruction = prompt != null ? prompt : new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
        if (instruction.isEmpty()) throw new IllegalArgumentException("empty instruction: give --prompt TEXT or text on stdin");
        Sampler sampler = Sampler.of(temperature, topP, seed);
        try (ModelFiles files = ModelFiles.resolve(this.model, new ModelFiles.Originals(llamaDir, tokenizer, adapter, null, null),
                "--llama-dir", "--tokenizer", "--adapter");
             LlamaAdapter model = files.loadLlama(context)) {
            SentencePieceTokenizer sp = files.tokenizer();
            if (sp.vocabSize() != model.llama().config().vocabSize()) {
                throw new FormatException(files.tokenizerSource(), "tokenizer has " + sp.vocabSize() + " pieces, the model's vocabulary is "
                        + model.llama().config().vocabSize());
            }
            AdapterPrompt visual = visualPrompt(model);
            int[] promptIds = sp.encode(PromptTemplate.format(instruction, input), true, false);
            PrintStream out = System.out;
            TokenDecoder decoder = new TokenDecoder(sp);
            Generator.TokenListener stream = json ? null : id -> {
                out.print(decoder.accept(id));
                out.flush();
            };
            Generator.Result r = new Generator(model.llama()).generate(
                    new Generator.Request(promptIds, visual, maxTokens, sampler, sp.eosId(), saveLogits != null), stream);
            if (saveLogits != null) saveLogits(r.stepLogits());
            if (json) out.println(Json.write(result(r, sp)));
            else out.println(decoder.finish());
        }
        return 0;
    }

    /** --bind-input, or the mixed (and cache-blended) inputs, through the bind network; null for text only. */
    private AdapterPrompt visualPrompt(LlamaAdapter model) {
        int dim = model.bindNetwork().inputDim();
        if (bindInput != null) {
            if (!inputs.isEmpty() || cache != null) {
                throw new IllegalArgumentException("--bind-input bypasses mixing and the cache: do not combine it with inputs or --cache");
            }
            return model.adapterPrompt(vector(bindInput, dim));
        }
        if (inputs.isEmpty()) {
            if (cache != null) throw new IllegalArgumentException("--cache needs at least one input to look up");
            if (weights != null) throw new IllegalArgumentException("--weights given without inputs");
            return null;
        }
        float[] w = inputs.weights(weights);
        List<float[]> embeddings = new ArrayList<>();
        for (Inputs.Input in : inputs.list()) embeddings.add(vector(Path.of(in.source()), dim));
        float[] f = Mixer.mix(embeddings, w);
        if (cache != null) {
            try (VisualCache c = VisualCache.open(cache)) {
                if (c.dim() != dim) throw new FormatException(cache, "cache vectors have " + c.dim() + " values, the model expects " + dim);
                f = c.blend(f, new VisualCache.Settings(cacheSize, cacheT, cacheWeight));
            }
        }
        return model.adapterPrompt(f);
    }

    /** A .npy holding one vector of {@code dim} values ([D], [1, D], [1, 1, D] ...). */
    static float[] vector(Path file, int dim) {
        Tensor t = Npy.read(file);
        long[] s = t.shape();
        for (int i = 0; i + 1 < s.length; i++) {
            if (s[i] != 1) throw new FormatException(file, "expected one vector ([" + dim + "] or [1, " + dim + "]), got " + t.shapeString());
        }
        if (s.length == 0 || s[s.length - 1] != dim || !t.dtype().isFloating()) {
            throw new FormatException(file, "expected a float vector of " + dim + " values, got " + t);
        }
        return t.toFloatArray();
    }

    private void saveLogits(List<float[]> steps) {
        if (steps.isEmpty()) throw new IllegalArgumentException("--save-logits: no step was run (max tokens 0 or a full context)");
        int vocab = steps.getFirst().length;
        float[] all = new float[steps.size() * vocab];
        for (int i = 0; i < steps.size(); i++) System.arraycopy(steps.get(i), 0, all, i * vocab, vocab);
        Npy.writeF32(saveLogits, all, steps.size(), vocab);
    }

    private static Map<String, Object> result(Generator.Result r, SentencePieceTokenizer sp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prompt_ids", Arrays.stream(r.promptIds()).boxed().toList());
        m.put("ids", Arrays.stream(r.ids()).boxed().toList());
        m.put("text", sp.decode(r.ids()));
        return m;
    }
}
