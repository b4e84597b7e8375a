package io.ibllm.train;

import io.ibllm.media.image.Image8;
import io.ibllm.media.image.ImageLoader;
import io.ibllm.tokenizer.SentencePieceTokenizer;
import io.ibllm.train.data.Example;
import io.ibllm.train.data.Sequence;
import io.ibllm.train.data.TrainPrompts;
import io.ibllm.train.data.TrainTransform;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The training loop of both stages: per optimizer step, {@code accum} iterations of
 * forward/backward, the lr of the half-cycle cosine schedule at the fractional epoch, AdamW,
 * optional global-norm clipping, logging and periodic atomic checkpoints.
 */
public final class Trainer {
    /** One logged optimizer step. */
    public record StepLog(long step, double epoch, double lr, double loss, int targets, double gradNorm, int tokens, double seconds) {}

    private final TrainOptions options;
    private final TrainModel model;
    private final List<Example> examples;
    private final SentencePieceTokenizer tokenizer;
    private final FeatureExtractor features;
    private final FeatureStore store;
    private final AdamW adam;
    private final Batches batches;
    private final Map<Integer, Sequence> sequences = new HashMap<>();
    private final Map<Path, int[]> imageSizes = new HashMap<>();

    public Trainer(TrainOptions options, TrainModel model, List<Example> examples, SentencePieceTokenizer tokenizer,
                   FeatureExtractor features, FeatureStore store) {
        this.options = options;
        this.model = model;
        this.examples = examples;
        this.tokenizer = tokenizer;
        this.features = features;
        this.store = store;
        this.adam = AdamW.reference(model.trainable(), options.weightDecay());
        this.batches = new Batches(examples.size(), options.batchSize(), options.seed(), !options.noShuffle);
    }

    public AdamW optimizer() { return adam; }

    /** Total optimizer steps: --steps, else the epochs' worth of iterations. */
    public long totalSteps() {
        if (options.steps != null) return options.steps;
        return (long) Math.ceil(options.epochs() * batches.perEpoch() / options.accum());
    }

    /** Runs from the optimizer's current step to {@link #totalSteps()}. */
    public void run(Consumer<StepLog> log) {
        LrSchedule schedule = options.schedule();
        int k = options.accum();
        for (long step = adam.step() + 1; step <= totalSteps(); step++) {
            long t0 = System.nanoTime();
            model.trainable().forEach(Param::zeroGrad);
            long first = (step - 1) * k;
            double epoch = batches.epochOf(first);
            double lr = schedule.at(epoch);
            double lossSum = 0;
            int targets = 0, tokens = 0;
            for (int j = 0; j < k; j++) {
                TrainModel.StepResult r = iteration(first + j);
                lossSum += r.loss();
                targets += r.targets();
                tokens += r.targets();
            }
            if (k > 1) scaleGrads(1.0f / k);
            double norm = gradNorm();
            if (options.clipGrad != null && norm > options.clipGrad) scaleGrads((float) (options.clipGrad / (norm + 1e-6)));
            adam.update(lr);
            log.accept(new StepLog(step, epoch, lr, lossSum / k, targets, norm, tokens, (System.nanoTime() - t0) / 1e9));
            boolean last = step == totalSteps();
            if (options.out != null && (last || (options.saveEvery() > 0 && step % options.saveEvery() == 0))) {
                TrainCheckpoint.save(options.out, model, adam, step, options);
            }
        }
    }

    private TrainModel.StepResult iteration(long it) {
        int[] idx = batches.at(it);
        long epoch = it / batches.perEpoch();
        int b = idx.length, maxWords = options.maxWords();
        Sequence[] seqs = new Sequence[b];
        int len = 1;
        for (int i = 0; i < b; i++) {
            seqs[i] = sequences.computeIfAbsent(idx[i], k -> sequence(examples.get(k), maxWords));
            for (int t = 0; t < maxWords; t++) if (seqs[i].mask()[t] > 0) len = Math.max(len, t + 1);
        }
        // Causal attention: trailing padding cannot change earlier positions and carries label 0,
        // so the batch is cut to its longest sequence without changing loss or gradients.
        long[] tokens = new long[b * len], labels = new long[b * len];
        for (int i = 0; i < b; i++) {
            System.arraycopy(seqs[i].tokens(), 0, tokens, i * len, len);
            System.arraycopy(seqs[i].labels(), 0, labels, i * len, len);
        }
        float[] feats = null;
        boolean[] visual = new boolean[b];
        for (int i = 0; i < b; i++) {
            Example ex = examples.get(idx[i]);
            visual[i] = ex.hasVisual();
            if (!visual[i]) continue;
            float[] f = feature(ex, epoch, idx[i]);
            if (feats == null) feats = new float[b * f.length];
            System.arraycopy(f, 0, feats, i * f.length, f.length);
        }
        return model.forwardBackward(tokens, labels, b, len, feats, feats == null ? null : visual);
    }

    /** An example's tokens and labels: the same every epoch, so built once. */
    private Sequence sequence(Example ex, int maxWords) {
        String prompt = TrainPrompts.format(ex.instruction(), ex.input());
        return Sequence.build(tokenizer.encode(prompt, true, false), tokenizer.encode(prompt + ex.answer(), true, true), maxWords);
    }

    /**
     * The ImageBind feature of an example's image under this epoch's crop. The image is decoded
     * only when the feature store misses; its size (which the crop box needs) is remembered.
     */
    private float[] feature(Example ex, long epoch, int index) {
        if (ex.image() == null) {
            return store.get("zero-image", () -> features.embed(new float[3 * 224 * 224]));
        }
        Image8[] decoded = {null};
        int[] size = imageSizes.computeIfAbsent(ex.image(), p -> {
            decoded[0] = ImageLoader.decodeRgb(p);
            return new int[] {decoded[0].width(), decoded[0].height()};
        });
        TrainTransform.Box box = options.noAugment
                ? TrainTransform.deterministicBox(size[0], size[1])
                : TrainTransform.randomBox(size[0], size[1], batches.cropRandom(epoch, index));
        String key = FeatureStore.key(ex.image(), box.toString());
        return store.get(key, () -> {
            Image8 rgb = decoded[0] != null ? decoded[0] : ImageLoader.decodeRgb(ex.image());
            return features.embed(TrainTransform.apply(rgb, box));
        });
    }

    private double gradNorm() {
        double s = 0;
        for (Param p : model.trainable()) for (float g : p.grad) s += (double) g * g;
        return Math.sqrt(s);
    }

    private void scaleGrads(float f) {
        for (Param p : model.trainable()) for (int i = 0; i < p.grad.length; i++) p.grad[i] *= f;
    }
}
