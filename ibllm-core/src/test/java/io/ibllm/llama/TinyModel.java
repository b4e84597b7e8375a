package io.ibllm.llama;

import io.ibllm.Golden;
import io.ibllm.io.Json;
import io.ibllm.io.Npy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** The golden tiny ImageBind-LLM, loaded once per test JVM (read-only, shared). */
final class TinyModel {
    static final LlamaAdapter MODEL = ModelLoader.load(Golden.file("checkpoints/llama/tiny"),
            Golden.file("checkpoints/imagebind_llm_adapter.pth"), LlamaConfig.DEFAULT_CONTEXT);

    private TinyModel() {}

    /** golden.json's "llm" object. */
    static Map<?, ?> goldenLlm() {
        try {
            return (Map<?, ?>) ((Map<?, ?>) Json.parse(Files.readString(Golden.file("golden.json")))).get("llm");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static float[] npy(String rel) {
        return Npy.read(Golden.file(rel)).toFloatArray();
    }

    static int[] promptIds() {
        long[] ids = Npy.read(Golden.file("outputs/llm/prompt_ids.npy")).toLongArray();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) out[i] = Math.toIntExact(ids[i]);
        return out;
    }

    static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        float m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }
}
