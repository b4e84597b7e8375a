package io.ibllm.api;

import io.ibllm.io.Json;
import io.ibllm.io.Npy;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The golden tiny model and inputs (testdata/golden). */
final class GoldenModel {
    private GoldenModel() {}

    static Path dir() {
        String p = System.getProperty("ibllm.golden");
        Path d = p != null ? Path.of(p) : Path.of("../testdata/golden");
        return d.toAbsolutePath();
    }

    static Path file(String rel) { return dir().resolve(rel); }

    static ModelFiles files() {
        return ModelFiles.of(file("checkpoints/llama/tiny"), file("checkpoints/llama/tokenizer.model"),
                        file("checkpoints/imagebind_llm_adapter.pth"))
                .withImageBind(file("checkpoints/imagebind_w3D.pth"), file("config/golden_config.json"))
                .withCache(file("checkpoints/knn.index"));
    }

    static Map<?, ?> llm() {
        try {
            return (Map<?, ?>) ((Map<?, ?>) Json.parse(Files.readString(file("golden.json")))).get("llm");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String instruction() { return (String) llm().get("instruction"); }

    static long[] ids(String name) { return Npy.read(file("outputs/llm/" + name)).toLongArray(); }

    static float[] floats(String name) { return Npy.read(file("outputs/llm/" + name)).toFloatArray(); }

    /**
     * golden.json llm.mixed_inputs from the preprocessed tensors, in dict order: Image
     * vision[0:1] 1.0, Video video_clips1 0.8, Audio audio[0:1] 0.5, Point points[0:1] (float32,
     * fps start = pointbind.fps_start_indices[0]) 0.3, Text text_tokens[0:1] 0.2.
     */
    static List<Input> mixedInputs() {
        Map<?, ?> mixed = (Map<?, ?>) llm().get("mixed_inputs");
        return List.of(
                Input.tensor(Input.Kind.IMAGE, first("vision.npy")).weight(weight(mixed, "Image")),
                Input.tensor(Input.Kind.VIDEO, first("video_clips1.npy")).weight(weight(mixed, "Video")),
                Input.tensor(Input.Kind.AUDIO, first("audio.npy")).weight(weight(mixed, "Audio")),
                Input.tensor(Input.Kind.POINTS, first("points.npy")).weight(weight(mixed, "Point")).fpsStart(fpsStart()),
                Input.tensor(Input.Kind.TEXT, first("text_tokens.npy")).weight(weight(mixed, "Text")));
    }

    /** The farthest-point sampling start the reference drew for the first cloud. */
    static int fpsStart() {
        try {
            Map<?, ?> top = (Map<?, ?>) Json.parse(Files.readString(file("golden.json")));
            return ((Number) ((List<?>) ((Map<?, ?>) top.get("pointbind")).get("fps_start_indices")).get(0)).intValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static float weight(Map<?, ?> mixed, String key) {
        return ((Number) ((Map<?, ?>) mixed.get(key)).get("weight")).floatValue();
    }

    /** Item 0 of a preprocessed batch as [1, ...]; float64 becomes float32 (the reference's .float()). */
    static Tensor first(String name) {
        Tensor t = Npy.read(file("preprocess/" + name));
        long[] s = t.shape();
        s[0] = 1;
        long n = Tensor.numel(s);
        if (t.dtype() == DType.I64) return Tensor.of(DType.I64, s, java.lang.foreign.MemorySegment.ofArray(java.util.Arrays.copyOf(t.toLongArray(), (int) n)));
        return Tensor.f32(java.util.Arrays.copyOf(t.toFloatArray(), (int) n), s);
    }
}
