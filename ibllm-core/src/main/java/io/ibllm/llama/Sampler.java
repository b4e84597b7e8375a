package io.ibllm.llama;

import io.ibllm.tensor.Ops;
import java.util.Arrays;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Picks the next token from logits (spec §8.3).
 *
 * <p>Temperature 0: argmax (lowest id on ties, as torch.argmax). Otherwise, exactly the
 * reference's sample_top_p with a seeded generator in place of torch.multinomial:
 * <ol>
 *   <li>p = softmax(logits / T) in float32;</li>
 *   <li>sort p descending (ties: lower id first); c = running sum;</li>
 *   <li>drop every token whose mass before it, c − p, exceeds top_p (the first is always kept);</li>
 *   <li>renormalise the kept p to sum 1;</li>
 *   <li>draw u uniform in [0, 1) from an L64X128MixRandom generator seeded with the seed (one draw per
 *       token), and return the first kept token (in sorted order) whose running sum exceeds u.</li>
 * </ol>
 * The same seed, logits and settings always give the same tokens, on any JVM.
 */
public final class Sampler {
    private final float temperature;
    private final float topP;
    private final RandomGenerator random;

    private Sampler(float temperature, float topP, long seed) {
        if (!(temperature >= 0f) || !Float.isFinite(temperature)) throw new IllegalArgumentException("temperature must be >= 0, got " + temperature);
        if (!(topP > 0f && topP <= 1f)) throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
        this.temperature = temperature;
        this.topP = topP;
        this.random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
    }

    public static Sampler greedy() { return new Sampler(0f, 1f, 0); }

    /** Greedy when {@code temperature} is 0, else temperature + nucleus sampling with {@code seed}. */
    public static Sampler of(float temperature, float topP, long seed) { return new Sampler(temperature, topP, seed); }

    public boolean isGreedy() { return temperature == 0f; }

    public int next(float[] logits) {
        return isGreedy() ? argmax(logits) : sampleTopP(logits);
    }

    /** Index of the first maximum (torch.argmax). */
    public static int argmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) if (x[i] > x[best]) best = i;
        return best;
    }

    private int sampleTopP(float[] logits) {
        int n = logits.length;
        float[] p = new float[n];
        for (int i = 0; i < n; i++) p[i] = logits[i] / temperature;
        Ops.softmax(p, 0, n);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> p[a] != p[b] ? Float.compare(p[b], p[a]) : Integer.compare(a, b));
        int kept = 0;
        float c = 0f, mass = 0f;
        for (int j = 0; j < n; j++) {
            float pj = p[order[j]];
            c += pj;
            if (j > 0 && c - pj > topP) break;
            mass += pj;
            kept++;
        }
        double u = random.nextDouble();
        double acc = 0;
        for (int j = 0; j < kept; j++) {
            acc += p[order[j]] / mass;
            if (acc > u) return order[j];
        }
        return order[kept - 1];
    }
}
