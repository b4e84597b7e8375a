package io.ibllm.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Stack;
import picocli.CommandLine.IParameterConsumer;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The weighted inputs of a request in command-line order (the order matters: --weights gives one
 * weight per input in that order, and the reference sums in input order). Each input option
 * (--embedding, --image, --video, --audio, --text, --points, --depth, --thermal, --imu) uses {@link Consumer}, which
 * appends (kind, source) to the command's list as picocli meets the option.
 */
public final class Inputs {
    /** What a source is; the option name is "--" + the lower-case kind. */
    public enum Kind {
        /** A precomputed ImageBind embedding: a .npy vector [D] or row [1, D]. */
        EMBEDDING,
        /** Media files through ibllm-media's loaders and ImageBind (a .npy in the encoder layout also works). */
        IMAGE, VIDEO, AUDIO, POINTS, DEPTH, THERMAL, IMU,
        /** A text, embedded by ImageBind's text tower (not the instruction). */
        TEXT;

        static Kind ofOption(String name) {
            return valueOf(name.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT));
        }
    }

    /** One input; its weight is resolved later from --weights (default 1). */
    public record Input(Kind kind, String source) {}

    /** Commands with inputs implement this so the consumer can reach their list. */
    public interface Holder {
        Inputs inputs();
    }

    private final List<Input> list = new ArrayList<>();

    public void add(Kind kind, String source) { list.add(new Input(kind, source)); }

    public List<Input> list() { return List.copyOf(list); }

    public boolean isEmpty() { return list.isEmpty(); }

    /** One weight per input: all 1 when {@code weights} is null, else exactly one each. */
    public float[] weights(List<Float> weights) {
        float[] w = new float[list.size()];
        if (weights == null || weights.isEmpty()) {
            Arrays.fill(w, 1f);
            return w;
        }
        if (weights.size() != list.size()) {
            throw new IllegalArgumentException("--weights gives " + weights.size() + " weights for " + list.size()
                    + " inputs; give one per input, in command-line order");
        }
        for (int i = 0; i < w.length; i++) {
            float v = weights.get(i);
            if (!(v > 0f) || !Float.isFinite(v)) throw new IllegalArgumentException("weights must be positive, got " + v);
            w[i] = v;
        }
        return w;
    }

    /** Appends the option's value to the command's inputs, keeping command-line order. */
    public static final class Consumer implements IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, ArgSpec arg, CommandSpec spec) {
            if (args.isEmpty()) throw new IllegalArgumentException(((OptionSpec) arg).longestName() + " needs a value");
            String value = args.pop();
            ((Holder) spec.userObject()).inputs().add(Kind.ofOption(((OptionSpec) arg).longestName()), value);
        }
    }
}
