package io.ibllm.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every option of a training run. Unset numeric options (null) take the reference's value for
 * the stage (exps/pretrain.sh, exps/finetune.sh). The map form is what a checkpoint stores, so
 * a resumed run continues with the same options unless the command line overrides them.
 */
public final class TrainOptions {
    public Stage stage;
    /** A converted one-file model (ibllm convert) instead of llamaDir/tokenizer/imagebind(+config). */
    public Path model;
    public Path llamaDir;
    public Path tokenizer;
    public Path imagebind;
    public Path imagebindConfig;
    public Path init;
    public List<Path> data = new ArrayList<>();
    public Path out;
    public Integer batchSize;
    public Integer accum;
    public Double epochs;
    public Double warmupEpochs;
    public Double blr;
    public Double lr;
    public Double minLr;
    public String schedule = "cosine";
    public Double weightDecay;
    public Integer maxWords;
    public Integer steps;
    public Integer saveEvery;
    public Long seed;
    public boolean noAugment;
    public boolean noShuffle;
    public boolean referenceQuirks;
    public boolean plot;
    public Double clipGrad;

    public int batchSize() { return batchSize != null ? batchSize : 4; }
    public int accum() { return accum != null ? accum : 1; }
    public double epochs() { return epochs != null ? epochs : stage == Stage.PRETRAIN ? 150 : 4; }
    public double warmupEpochs() { return warmupEpochs != null ? warmupEpochs : stage == Stage.PRETRAIN ? 5 : 1; }
    public double blr() { return blr != null ? blr : stage == Stage.PRETRAIN ? 1e-4 : 1e-3; }
    public double minLr() { return minLr != null ? minLr : 0.0; }
    public double weightDecay() { return weightDecay != null ? weightDecay : stage == Stage.PRETRAIN ? 0.05 : 0.02; }
    public int maxWords() { return maxWords != null ? maxWords : stage == Stage.PRETRAIN ? 96 : 512; }
    public long seed() { return seed != null ? seed : 0L; }
    public int saveEvery() { return saveEvery != null ? saveEvery : 0; }

    /** lr = blr · effective batch / 256 unless given. */
    public double lr() { return lr != null ? lr : LrSchedule.fromBase(blr(), batchSize() * accum()); }

    public LrSchedule schedule() {
        return new LrSchedule(lr(), minLr(), warmupEpochs(), epochs(), !"constant".equals(schedule));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stage", stage.name());
        put(m, "model", model);
        put(m, "llama_dir", llamaDir);
        put(m, "tokenizer", tokenizer);
        put(m, "imagebind", imagebind);
        put(m, "imagebind_config", imagebindConfig);
        put(m, "init", init);
        m.put("data", data.stream().map(Path::toString).toList());
        put(m, "out", out);
        m.put("batch_size", batchSize());
        m.put("accum", accum());
        m.put("epochs", epochs());
        m.put("warmup_epochs", warmupEpochs());
        m.put("lr", lr());
        m.put("min_lr", minLr());
        m.put("schedule", schedule);
        m.put("weight_decay", weightDecay());
        m.put("max_words", maxWords());
        if (steps != null) m.put("steps", steps);
        m.put("save_every", saveEvery());
        m.put("seed", seed());
        m.put("no_augment", noAugment);
        m.put("no_shuffle", noShuffle);
        m.put("reference_quirks", referenceQuirks);
        m.put("plot", plot);
        if (clipGrad != null) m.put("clip_grad", clipGrad);
        return m;
    }

    private static void put(Map<String, Object> m, String k, Path p) {
        if (p != null) m.put(k, p.toString());
    }

    /** Options saved in a checkpoint. */
    public static TrainOptions fromMap(Map<String, Object> m) {
        TrainOptions o = new TrainOptions();
        o.stage = Stage.valueOf((String) m.get("stage"));
        o.model = path(m, "model");
        o.llamaDir = path(m, "llama_dir");
        o.tokenizer = path(m, "tokenizer");
        o.imagebind = path(m, "imagebind");
        o.imagebindConfig = path(m, "imagebind_config");
        o.init = path(m, "init");
        for (Object d : (List<?>) m.get("data")) o.data.add(Path.of((String) d));
        o.out = path(m, "out");
        o.batchSize = num(m, "batch_size") == null ? null : num(m, "batch_size").intValue();
        o.accum = num(m, "accum") == null ? null : num(m, "accum").intValue();
        o.epochs = dbl(m, "epochs");
        o.warmupEpochs = dbl(m, "warmup_epochs");
        o.lr = dbl(m, "lr");
        o.minLr = dbl(m, "min_lr");
        o.schedule = (String) m.getOrDefault("schedule", "cosine");
        o.weightDecay = dbl(m, "weight_decay");
        o.maxWords = num(m, "max_words") == null ? null : num(m, "max_words").intValue();
        o.steps = num(m, "steps") == null ? null : num(m, "steps").intValue();
        o.saveEvery = num(m, "save_every") == null ? null : num(m, "save_every").intValue();
        o.seed = num(m, "seed") == null ? null : num(m, "seed").longValue();
        o.noAugment = Boolean.TRUE.equals(m.get("no_augment"));
        o.noShuffle = Boolean.TRUE.equals(m.get("no_shuffle"));
        o.referenceQuirks = Boolean.TRUE.equals(m.get("reference_quirks"));
        o.plot = Boolean.TRUE.equals(m.get("plot"));
        o.clipGrad = dbl(m, "clip_grad");
        return o;
    }

    private static Path path(Map<String, Object> m, String k) {
        return m.get(k) instanceof String s ? Path.of(s) : null;
    }

    private static Number num(Map<String, Object> m, String k) {
        return m.get(k) instanceof Number n ? n : null;
    }

    private static Double dbl(Map<String, Object> m, String k) {
        return num(m, k) == null ? null : num(m, k).doubleValue();
    }
}
