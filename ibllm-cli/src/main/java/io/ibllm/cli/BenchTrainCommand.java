package io.ibllm.cli;

import io.ibllm.io.Json;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.Parallel;
import io.ibllm.train.AdamW;
import io.ibllm.train.Param;
import io.ibllm.train.Stage;
import io.ibllm.train.SyntheticTrainModel;
import io.ibllm.train.TrainModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ibllm bench train}: seconds per optimizer step and tokens/s of stage 1 or stage 2 on a
 * random model (LLaMA-7B or a small geometry; nothing on disk), with the peak resident memory.
 * The ImageBind feature is a random vector: in real runs features come from the feature store.
 */
@Command(name = "train", description = "Training step time, tokens/s and peak memory on a synthetic model.")
public final class BenchTrainCommand implements Callable<Integer> {
    @Option(names = "--synthetic", defaultValue = "small", description = "7b | small (dim 512, 8 layers) (default ${DEFAULT-VALUE}).")
    String synthetic;
    @Option(names = "--type", defaultValue = "q8_0", description = "Base weight type: f32 | f16 | bf16 | q8_0 | q4_0 (default ${DEFAULT-VALUE}).")
    String type;
    @Option(names = "--stage", defaultValue = "pretrain", description = "pretrain | finetune (default ${DEFAULT-VALUE}).")
    String stage;
    @Option(names = "--seq", defaultValue = "96", description = "Sequence length (default ${DEFAULT-VALUE}).")
    int seq;
    @Option(names = "--batch", defaultValue = "1") int batch;
    @Option(names = "--steps", defaultValue = "3", description = "Timed steps after one warm-up step (default ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--json") boolean json;

    @Override
    public Integer call() throws Exception {
        Stage st = Stage.valueOf(stage.toUpperCase());
        var g = synthetic.equals("7b") ? SyntheticTrainModel.Geometry.llama7b() : SyntheticTrainModel.Geometry.small();
        long t0 = System.nanoTime();
        TrainModel model = SyntheticTrainModel.build(st, g, DType.valueOf(type.toUpperCase()), seq);
        double buildS = (System.nanoTime() - t0) / 1e9;
        AdamW adam = AdamW.reference(model.trainable(), 0.02);
        SplittableRandom rnd = new SplittableRandom(1);
        long[] tokens = new long[batch * seq], labels = new long[batch * seq];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = 3 + rnd.nextInt(g.vocab() - 3);
            labels[i] = i % seq < seq / 2 ? 0 : tokens[i];
        }
        float[] feats = new float[batch * g.bindIn()];
        for (int i = 0; i < feats.length; i++) feats[i] = (float) rnd.nextGaussian();
        double total = 0;
        for (int s = 0; s <= steps; s++) {
            long a = System.nanoTime();
            model.trainable().forEach(Param::zeroGrad);
            model.forwardBackward(tokens, labels, batch, seq, feats, null);
            adam.update(1e-5);
            if (s > 0) total += (System.nanoTime() - a) / 1e9;
        }
        double perStep = total / steps;
        long trainable = model.trainable().stream().mapToLong(Param::size).sum();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("geometry", synthetic);
        r.put("stage", st.name().toLowerCase());
        r.put("base_type", type);
        r.put("threads", Parallel.threads());
        r.put("seq", seq);
        r.put("batch", batch);
        r.put("trainable_params", trainable);
        r.put("seconds_per_step", perStep);
        r.put("tokens_per_s", batch * seq / perStep);
        r.put("build_seconds", buildS);
        r.put("peak_rss_bytes", PeakRss.self());
        if (json) System.out.println(Json.write(r));
        else r.forEach((k, v) -> System.out.printf("%-18s %s%n", k, v));
        return 0;
    }
}
