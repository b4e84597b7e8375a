package io.ibllm.cli;

import io.ibllm.imagebind.ImageBindModel;
import io.ibllm.imagebind.Modality;
import io.ibllm.io.Checkpoints;
import io.ibllm.io.FormatException;
import io.ibllm.io.Json;
import io.ibllm.io.TensorFile;
import io.ibllm.llama.LlamaConfig;
import io.ibllm.model.ModelFiles;
import io.ibllm.tensor.Tensor;
import io.ibllm.tokenizer.SentencePieceTokenizer;
import io.ibllm.train.AdapterInit;
import io.ibllm.train.FeatureExtractor;
import io.ibllm.train.FeatureStore;
import io.ibllm.train.LossPlot;
import io.ibllm.train.Stage;
import io.ibllm.train.TrainCheckpoint;
import io.ibllm.train.TrainModel;
import io.ibllm.train.TrainOptions;
import io.ibllm.train.Trainer;
import io.ibllm.train.data.DataFiles;
import io.ibllm.train.data.Example;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ibllm train}: stage-1 pre-training or stage-2 instruction tuning of the adapter. */
@Command(name = "train", description = "Train the adapter: --stage pretrain (bind network, prefix, gates) or finetune (LoRA, biases, norms).")
public final class TrainCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--stage", description = "pretrain | finetune") String stage;
    @Option(names = "--model", description = "A converted one-file model (ibllm convert) instead of --llama-dir, --tokenizer, --imagebind.") Path model;
    @Option(names = "--llama-dir", description = "Folder with params.json and consolidated.00.pth.") Path llamaDir;
    @Option(names = "--tokenizer", description = "LLaMA tokenizer.model.") Path tokenizer;
    @Option(names = "--imagebind", description = "imagebind_w3D.pth (or imagebind_huge.pth).") Path imagebind;
    @Option(names = "--imagebind-config", description = "Model config JSON for non-huge ImageBind.") Path imagebindConfig;
    @Option(names = "--init", description = "Adapter to start from (official 7B.pth layout).") Path init;
    @Option(names = "--data", split = ",", description = "Data files: .tsv/.csv meta (url, caption), .jsonl, Alpaca or LLaVA .json.") List<Path> data;
    @Option(names = "--out", description = "Output folder.") Path out;
    @Option(names = "--batch-size") Integer batchSize;
    @Option(names = "--accum", description = "Gradient accumulation iterations per step.") Integer accum;
    @Option(names = "--epochs") Double epochs;
    @Option(names = "--warmup-epochs") Double warmupEpochs;
    @Option(names = "--blr", description = "Base lr; lr = blr x effective batch / 256.") Double blr;
    @Option(names = "--lr", description = "Absolute lr (overrides --blr).") Double lr;
    @Option(names = "--min-lr") Double minLr;
    @Option(names = "--schedule", description = "cosine | constant") String schedule;
    @Option(names = "--weight-decay") Double weightDecay;
    @Option(names = "--max-words") Integer maxWords;
    @Option(names = "--steps", description = "Total optimizer steps of the run (a resumed run continues to it).") Integer steps;
    @Option(names = "--save-every", description = "Save every N steps (and at the end).") Integer saveEvery;
    @Option(names = "--seed") Long seed;
    @Option(names = "--no-augment", description = "Deterministic crop instead of RandomResizedCrop.") boolean noAugment;
    @Option(names = "--no-shuffle") boolean noShuffle;
    @Option(names = "--reference-quirks", description = "Reproduce the reference's prompt bugs and zero images.") boolean referenceQuirks;
    @Option(names = "--clip-grad", description = "Clip the global gradient norm (off by default, as the reference).") Double clipGrad;
    @Option(names = "--resume", description = "Continue the run saved in this folder.") Path resume;
    @Option(names = "--plot", description = "Write loss.png at the end.") boolean plot;

    @Override
    public Integer call() throws IOException {
        TrainOptions o = options();
        try (ModelFiles files = ModelFiles.resolve(o.model, new ModelFiles.Originals(o.llamaDir, o.tokenizer, null, o.imagebind, o.imagebindConfig),
                "--llama-dir", "--tokenizer", "--imagebind")) {
            LlamaConfig params = files.llamaConfig(LlamaConfig.DEFAULT_CONTEXT);
            int heads = params.nHeads();
            float eps = params.normEps();
            SentencePieceTokenizer tok = files.tokenizer();
            List<Example> examples = new ArrayList<>();
            for (Path d : o.data) examples.addAll(DataFiles.read(d, o.referenceQuirks));
            TensorFile base = singleShard(files);
            ImageBindModel imagebind = files.loadImageBind();
            TensorFile adapter = o.init != null ? Checkpoints.open(o.init) : adapterFromScratch(o, base, imagebind.outDim(), heads);
            if (o.stage == Stage.PRETRAIN && adapter.names().stream().anyMatch(k -> k.contains("lora") || k.endsWith(".bias") && k.startsWith("llama."))) {
                System.err.println("ibllm: stage 1 trains a LLaMA without LoRA and biases: the LoRA/bias tensors of " + o.init + " are ignored");
            }
            TrainModel model = new TrainModel(o.stage, base, adapter, heads, eps, maxPositions(o));
            FeatureExtractor fx = image -> imagebind.embed(Modality.VISION, Tensor.f32(image, 1, 3, 224, 224)).postnorm();
            Trainer trainer = new Trainer(o, model, examples, tok, fx, new FeatureStore(o.out.resolve("features")));
            if (resume != null) TrainCheckpoint.load(resume).restore(model, trainer.optimizer());
            run(o, trainer);
            adapter.close();
        }
        return 0;
    }

    private static int maxPositions(TrainOptions o) { return Math.max(o.maxWords(), 1); }

    private TensorFile adapterFromScratch(TrainOptions o, TensorFile base, int bindIn, int heads) {
        if (o.stage == Stage.FINETUNE) {
            throw new IllegalArgumentException("stage 2 (finetune) needs --init: a stage-1 or released adapter");
        }
        return AdapterInit.stage1(base, bindIn, heads, o.seed());
    }

    private void run(TrainOptions o, Trainer trainer) throws IOException {
        Files.createDirectories(o.out);
        long total = trainer.totalSteps(), start = trainer.optimizer().step();
        List<double[]> curve = new ArrayList<>();
        long t0 = System.nanoTime();
        try (Writer log = Files.newBufferedWriter(o.out.resolve("log.jsonl"), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            trainer.run(s -> {
                curve.add(new double[] {s.step(), s.loss()});
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", s.step());
                row.put("epoch", s.epoch());
                row.put("lr", s.lr());
                row.put("loss", s.loss());
                row.put("targets", s.targets());
                row.put("grad_norm", s.gradNorm());
                row.put("seconds", s.seconds());
                try {
                    log.write(Json.write(row) + "\n");
                    log.flush();
                } catch (IOException e) {
                    throw new FormatException(o.out.resolve("log.jsonl"), "cannot write: " + e.getMessage());
                }
                double elapsed = (System.nanoTime() - t0) / 1e9, per = elapsed / (s.step() - start);
                System.err.printf("\r%s %d/%d loss %.4f lr %.3g %.0f tok/s ETA %s   ", ProgressBar.bar(s.step(), total), s.step(), total,
                        s.loss(), s.lr(), s.tokens() / Math.max(s.seconds(), 1e-9), ProgressBar.eta(per * (total - s.step())));
            });
        }
        System.err.println();
        if (o.plot) LossPlot.write(o.out.resolve("loss.png"), curve);
        System.out.println("trained adapter: " + o.out.resolve("adapter.pth") + " (and adapter.safetensors)");
    }

    private static TensorFile singleShard(ModelFiles files) {
        List<TensorFile> shards = files.llamaBase();
        if (shards.size() > 1) throw new FormatException(files.source(), "training supports single-shard LLaMA checkpoints (found " + shards.size() + ")");
        return shards.get(0);
    }

    /** Options from the command line, over the saved ones when resuming. */
    private TrainOptions options() {
        TrainOptions o = resume != null ? TrainCheckpoint.load(resume).options() : new TrainOptions();
        var pr = spec.commandLine().getParseResult();
        if (stage != null) o.stage = Stage.valueOf(stage.toUpperCase().replace("-", "_"));
        if (model != null) o.model = model;
        if (llamaDir != null) o.llamaDir = llamaDir;
        if (tokenizer != null) o.tokenizer = tokenizer;
        if (imagebind != null) o.imagebind = imagebind;
        if (imagebindConfig != null) o.imagebindConfig = imagebindConfig;
        if (init != null) o.init = init;
        if (data != null) o.data = new ArrayList<>(data);
        if (out != null) o.out = out;
        if (batchSize != null) o.batchSize = batchSize;
        if (accum != null) o.accum = accum;
        if (epochs != null) o.epochs = epochs;
        if (warmupEpochs != null) o.warmupEpochs = warmupEpochs;
        if (blr != null) {
            o.blr = blr;
            o.lr = null;
        }
        if (lr != null) o.lr = lr;
        if (minLr != null) o.minLr = minLr;
        if (schedule != null) o.schedule = schedule;
        if (weightDecay != null) o.weightDecay = weightDecay;
        if (maxWords != null) o.maxWords = maxWords;
        if (steps != null) o.steps = steps;
        if (saveEvery != null) o.saveEvery = saveEvery;
        if (seed != null) o.seed = seed;
        if (pr.hasMatchedOption("--no-augment")) o.noAugment = true;
        if (pr.hasMatchedOption("--no-shuffle")) o.noShuffle = true;
        if (pr.hasMatchedOption("--reference-quirks")) o.referenceQuirks = true;
        if (pr.hasMatchedOption("--plot")) o.plot = true;
        if (clipGrad != null) o.clipGrad = clipGrad;
        if (o.out == null && resume != null) o.out = resume;
        require(o.stage, "--stage");
        require(o.out, "--out");
        if (o.data.isEmpty()) throw new IllegalArgumentException("missing --data");
        if (!"cosine".equals(o.schedule) && !"constant".equals(o.schedule)) {
            throw new IllegalArgumentException("--schedule must be cosine or constant, got " + o.schedule);
        }
        return o;
    }

    private static void require(Object v, String name) {
        if (v == null) throw new IllegalArgumentException("missing " + name);
    }
}
