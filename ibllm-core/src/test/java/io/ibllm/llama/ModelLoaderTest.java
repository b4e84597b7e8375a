package io.ibllm.llama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ibllm.Golden;
import io.ibllm.bind.BindNetwork;
import io.ibllm.io.FormatException;
import io.ibllm.io.Safetensors;
import io.ibllm.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict loading: crafted adapters with missing, unexpected and mis-shaped keys. */
class ModelLoaderTest {
    @TempDir
    Path tmp;

    /** The golden adapter's tensors, edited by {@code edit}, written to tmp/adapter.safetensors. */
    private Path adapter(Consumer<Map<String, Tensor>> edit) throws IOException {
        Map<String, Tensor> t;
        try (var f = Safetensors.open(Golden.file("checkpoints/imagebind_llm_adapter.safetensors"))) {
            t = new LinkedHashMap<>();
            for (var e : f.tensors().entrySet()) t.put(e.getKey(), e.getValue().toF32());
        }
        edit.accept(t);
        Path p = tmp.resolve("adapter.safetensors");
        SafetensorsWriter.write(p, t);
        return p;
    }

    private String loadError(Path adapter) {
        var e = assertThrows(FormatException.class,
                () -> ModelLoader.load(Golden.file("checkpoints/llama/tiny"), adapter, 64));
        assertEquals(1, e.getMessage().lines().count(), "one-line error");
        return e.getMessage();
    }

    @Test
    void missingKeyIsNamed() throws IOException {
        String m = loadError(adapter(t -> t.remove("llama.layers.1.attention.gate")));
        assertTrue(m.contains("1 missing keys: llama.layers.1.attention.gate [1, 4, 1, 1]"), m);
        assertTrue(m.contains("adapter.safetensors"), m);
    }

    @Test
    void unexpectedKeyIsNamed() throws IOException {
        String m = loadError(adapter(t -> t.put("llama.layers.0.attention.new_gate", Tensor.f32(new float[4], 1, 4, 1, 1))));
        assertTrue(m.contains("unexpected keys: llama.layers.0.attention.new_gate [1, 4, 1, 1] in adapter.safetensors"), m);
    }

    @Test
    void wrongShapeIsNamed() throws IOException {
        String m = loadError(adapter(t -> t.put("llama.layers.0.attention.wq.bias", Tensor.f32(new float[65], 65))));
        assertTrue(m.contains("llama.layers.0.attention.wq.bias is [65] in adapter.safetensors, expected [64]"), m);
    }

    @Test
    void adapterValuesOverrideTheBase() {
        // The golden adapter's norm weights differ from the base ones on purpose; the plain-prefill
        // golden matches only with the adapter's (LlamaModelTest), so here only the loading path:
        try (LlamaAdapter m = ModelLoader.load(Golden.file("checkpoints/llama/tiny"),
                Golden.file("checkpoints/imagebind_llm_adapter.safetensors"), 32)) {
            assertEquals(32, m.llama().config().contextLength());
        }
    }

    @Test
    void legacyBridgeIsDetectedFromBiasKeys() throws IOException {
        Path p = adapter(t -> {
            for (int k = 1; k <= 3; k++) {
                t.put("image_bind_norm_" + k + ".bias", Tensor.f32(new float[64], 64));
                t.put("image_bind_f1_" + k + ".bias", Tensor.f32(new float[256], 256));
                t.put("image_bind_f2_" + k + ".bias", Tensor.f32(new float[64], 64));
                t.put("image_bind_f3_" + k + ".bias", Tensor.f32(new float[256], 256));
            }
        });
        try (LlamaAdapter m = ModelLoader.load(Golden.file("checkpoints/llama/tiny"), p, 64)) {
            assertEquals(BindNetwork.Variant.LEGACY, m.bindNetwork().variant());
        }
        String m = loadError(adapter(t -> t.put("image_bind_norm_1.bias", Tensor.f32(new float[64], 64))));
        assertTrue(m.contains("11 missing keys: image_bind_f1_1.bias [256]") && m.contains("image_bind_norm_2.bias [64]"), m);
    }

    @Test
    void llamaDirMayBeTheParentOfOneModelFolder() throws IOException {
        Path parent = tmp.resolve("weights");
        Path tiny = Files.createDirectories(parent.resolve("tiny"));
        for (String f : new String[] {"params.json", "consolidated.00.safetensors"}) {
            Files.copy(Golden.file("checkpoints/llama/tiny/" + f), tiny.resolve(f));
        }
        try (LlamaAdapter m = ModelLoader.load(parent, Golden.file("checkpoints/imagebind_llm_adapter.safetensors"), 16)) {
            assertEquals(2, m.llama().config().nLayers());
        }
        var e = assertThrows(FormatException.class, () -> ModelLoader.load(tmp.resolve("nothing"),
                Golden.file("checkpoints/imagebind_llm_adapter.safetensors"), 16));
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }
}
