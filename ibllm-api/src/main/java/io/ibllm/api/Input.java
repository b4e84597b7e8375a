package io.ibllm.api;

import io.ibllm.imagebind.InputKind;
import io.ibllm.tensor.Tensor;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One weighted input of a request: a media file, a ready encoder tensor, a text for the
 * ImageBind text tower, or an already computed ImageBind embedding. Inputs are mixed in the
 * order given (spec §5: each embedding L2-normalised, weights w / (Σw + 1e-6)).
 *
 * @param kind     what the input is
 * @param file     the media file (a .npy is taken as the encoder's layout), or null
 * @param text     the text of a {@link Kind#TEXT} input, or null
 * @param tensor   an encoder batch [1, ...] or item, or null
 * @param vector   an ImageBind embedding ({@link Kind#EMBEDDING} only), or null
 * @param weight   positive mixing weight (default 1)
 * @param fpsStart farthest-point sampling start index for point clouds (the reference draws one at random)
 */
public record Input(Kind kind, Path file, String text, Tensor tensor, float[] vector, float weight, int fpsStart) {
    /** The input kinds; each media kind feeds one ImageBind tower (images and video the vision tower). */
    public enum Kind {
        IMAGE, VIDEO, AUDIO, TEXT, DEPTH, THERMAL, IMU, POINTS, EMBEDDING;

        /** The encoder input layout, or null for text and embeddings. */
        InputKind encoderInput() {
            return switch (this) {
                case IMAGE -> InputKind.IMAGE;
                case VIDEO -> InputKind.VIDEO;
                case AUDIO -> InputKind.AUDIO;
                case TEXT -> InputKind.TEXT_TOKENS;
                case DEPTH -> InputKind.DEPTH;
                case THERMAL -> InputKind.THERMAL;
                case IMU -> InputKind.IMU;
                case POINTS -> InputKind.POINTS;
                case EMBEDDING -> null;
            };
        }

        /** Lower-case name as in the CLI ("image", "points", ...). */
        public String label() { return name().toLowerCase(Locale.ROOT); }

        /** The kind named by {@code label} (case-insensitive), or an error listing the kinds. */
        public static Kind of(String label) {
            for (Kind k : values()) if (k.label().equalsIgnoreCase(label)) return k;
            throw new IllegalArgumentException("unknown input kind \"" + label + "\"; expected one of image, video, audio, text,"
                    + " depth, thermal, imu, points, embedding");
        }
    }

    public Input {
        if (kind == null) throw new IllegalArgumentException("input kind is required");
        int given = (file != null ? 1 : 0) + (text != null ? 1 : 0) + (tensor != null ? 1 : 0) + (vector != null ? 1 : 0);
        if (given != 1) throw new IllegalArgumentException(kind.label() + " input needs exactly one of a file, a text, a tensor or a vector");
        if (text != null && kind != Kind.TEXT) throw new IllegalArgumentException("only text inputs take a string");
        if (vector != null && kind != Kind.EMBEDDING) throw new IllegalArgumentException("only embedding inputs take a vector");
        if (!(weight > 0f) || !Float.isFinite(weight)) throw new IllegalArgumentException("input weights must be positive, got " + weight);
        if (fpsStart < 0) throw new IllegalArgumentException("farthest-point sampling start must be >= 0, got " + fpsStart);
        if (vector != null) vector = vector.clone();
    }

    /** A media file of {@code kind} (an embedding .npy for {@link Kind#EMBEDDING}), weight 1. */
    public static Input of(Kind kind, Path file) { return new Input(kind, file, null, null, null, 1f, 0); }

    public static Input image(Path file) { return of(Kind.IMAGE, file); }

    public static Input video(Path file) { return of(Kind.VIDEO, file); }

    public static Input audio(Path file) { return of(Kind.AUDIO, file); }

    public static Input points(Path file) { return of(Kind.POINTS, file); }

    /** A text embedded by ImageBind's text tower (not the instruction). */
    public static Input text(String text) { return new Input(Kind.TEXT, null, text, null, null, 1f, 0); }

    /** An encoder tensor already in the layout of {@code kind} (e.g. [1, 3, 224, 224] for an image). */
    public static Input tensor(Kind kind, Tensor tensor) { return new Input(kind, null, null, tensor, null, 1f, 0); }

    /** An ImageBind embedding computed elsewhere. */
    public static Input embedding(float[] vector) { return new Input(Kind.EMBEDDING, null, null, null, vector, 1f, 0); }

    public Input weight(float w) { return new Input(kind, file, text, tensor, vector, w, fpsStart); }

    public Input fpsStart(int start) { return new Input(kind, file, text, tensor, vector, weight, start); }

    @Override
    public float[] vector() { return vector == null ? null : vector.clone(); }

    /** "image cat.jpg", "text "a dog"" ... for listings. */
    public String describe() {
        String what = file != null ? file.toString() : text != null ? "\"" + text + "\"" : tensor != null ? "tensor " + tensor.shapeString()
                : "vector[" + vector.length + "]";
        return kind.label() + " " + what + (weight != 1f ? " (weight " + weight + ")" : "");
    }
}
