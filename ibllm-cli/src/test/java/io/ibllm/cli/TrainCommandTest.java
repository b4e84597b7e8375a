package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.io.Checkpoints;
import io.ibllm.io.Json;
import io.ibllm.io.Npy;
import io.ibllm.io.Safetensors;
import io.ibllm.io.TensorFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ibllm train} end to end from the raw golden files: stage 2 reproduces the reference's
 * two optimizer steps (the second one after a resume with the second step's lr), and the saved
 * adapter loads for inference; stage 1 computes the reference's ImageBind features from images.
 */
class TrainCommandTest {
    @TempDir Path dir;

    static Path golden(String rel) {
        String p = System.getProperty("ibllm.golden");
        return (p != null ? Path.of(p) : Path.of("../testdata/golden")).resolve(rel).toAbsolutePath().normalize();
    }

    private List<String> common(String stage, Path data, Path out, double lr, int steps) {
        return new ArrayList<>(List.of("train", "--stage", stage, "--llama-dir", golden("checkpoints/llama/tiny").toString(),
                "--tokenizer", golden("checkpoints/llama/tokenizer.model").toString(),
                "--imagebind", golden("checkpoints/imagebind_w3D.pth").toString(),
                "--imagebind-config", golden("config/golden_config.json").toString(),
                "--init", golden("checkpoints/imagebind_llm_adapter.pth").toString(),
                "--data", data.toString(), "--out", out.toString(), "--batch-size", "2", "--no-augment", "--no-shuffle",
                "--reference-quirks", "--schedule", "constant", "--warmup-epochs", "0", "--lr", String.valueOf(lr),
                "--weight-decay", stage.equals("pretrain") ? "0.05" : "0.02", "--max-words", stage.equals("pretrain") ? "160" : "512",
                "--steps", String.valueOf(steps)));
    }

    /** The golden meta file with image paths made absolute (they are relative to the golden folder). */
    private Path absolutised(String rel) throws Exception {
        String text = Files.readString(golden(rel)).replace("inputs/", golden("inputs").toString() + "/");
        Path p = dir.resolve(Path.of(rel).getFileName());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void stage2TwoStepsWithResumeMatchTheReference() throws Exception {
        Path data = absolutised("train/finetune_meta.json");
        Path out = dir.resolve("run");
        assertEquals(0, Main.run(common("finetune", data, out, 6.25e-5, 1).toArray(String[]::new)));
        try (Safetensors got = Safetensors.open(out.resolve("adapter.safetensors"));
             Safetensors start = Safetensors.open(golden("checkpoints/imagebind_llm_adapter.safetensors"));
             Safetensors ref = Safetensors.open(golden("train/stage2/params_step1.safetensors"));
             Safetensors g1 = Safetensors.open(golden("train/stage2/grads_step1.safetensors"))) {
            for (String k : ref.names()) {
                assertUpdate(start.get(k).toFloatArray(), ref.get(k).toFloatArray(), got.get(k).toFloatArray(), g1.get(k).toFloatArray(), k);
            }
            assertArrayEquals(start.get("image_bind_proj.weight").toFloatArray(), got.get("image_bind_proj.weight").toFloatArray(),
                    "stage 2 leaves the bind network frozen");
        }
        assertEquals(0, Main.run("train", "--resume", out.toString(), "--lr", "1.0669417382415921e-4", "--steps", "2"));
        try (TensorFile ckpt = Checkpoints.open(golden("train/stage2/checkpoint-step2.pth"));
             Safetensors got = Safetensors.open(out.resolve("adapter.safetensors"));
             Safetensors step1 = Safetensors.open(golden("train/stage2/params_step1.safetensors"));
             Safetensors g2 = Safetensors.open(golden("train/stage2/grads_step2.safetensors"))) {
            for (String k : step1.names()) {
                assertUpdate(step1.get(k).toFloatArray(), ckpt.get(k).toFloatArray(), got.get(k).toFloatArray(), g2.get(k).toFloatArray(),
                        k + " (step 2)");
            }
        }
        List<String> lines = Files.readAllLines(out.resolve("log.jsonl"));
        assertEquals(2, lines.size());
        Map<?, ?> second = (Map<?, ?>) Json.parse(lines.get(1));
        assertEquals(10.2141876, ((Number) second.get("loss")).doubleValue(), 1e-4, "loss of step 2");
        // The trained adapter is a complete official-layout adapter: it loads strictly for inference.
        try (TensorFile pth = Checkpoints.open(out.resolve("adapter.pth"))) {
            assertEquals(Checkpoints.open(golden("checkpoints/imagebind_llm_adapter.pth")).names(), pth.names());
        }
        assertEquals(0, Main.run("generate", "--llama-dir", golden("checkpoints/llama/tiny").toString(),
                "--tokenizer", golden("checkpoints/llama/tokenizer.model").toString(), "--adapter", out.resolve("adapter.pth").toString(),
                "--bind-input", golden("outputs/llm/mixed_noknn_bind_input.npy").toString(), "--prompt", "Describe it.",
                "--temperature", "0", "--max-tokens", "4", "--json"), "the trained adapter answers through generate");
    }

    @Test
    void stage1FeaturesFromImagesAndFirstStep() throws Exception {
        Path data = absolutised("train/pretrain_meta.tsv");
        Path out = dir.resolve("s1");
        assertEquals(0, Main.run(common("pretrain", data, out, 1.1875e-5, 1).toArray(String[]::new)));
        Map<?, ?> first = (Map<?, ?>) Json.parse(Files.readAllLines(out.resolve("log.jsonl")).get(0));
        assertEquals(11.6774731, ((Number) first.get("loss")).doubleValue(), 1e-4, "loss of step 1");
        float[] ref = Npy.read(golden("train/stage1/imagebind_vision.npy")).toFloatArray();
        try (var files = Files.list(out.resolve("features"))) {
            assertEquals(2, files.count(), "one stored feature per image");
        }
        try (Safetensors got = Safetensors.open(out.resolve("adapter.safetensors"));
             Safetensors start = Safetensors.open(golden("checkpoints/imagebind_llm_adapter.safetensors"));
             Safetensors p1 = Safetensors.open(golden("train/stage1/params_step1.safetensors"));
             Safetensors g1 = Safetensors.open(golden("train/stage1/grads_step1.safetensors"))) {
            for (String k : p1.names()) {
                assertUpdate(start.get(k).toFloatArray(), p1.get(k).toFloatArray(), got.get(k).toFloatArray(), g1.get(k).toFloatArray(), k);
            }
            float[] zeros = got.get("llama.layers.0.attention.lora_wq_l2.weight").toFloatArray();
            for (float z : zeros) assertEquals(0f, z, "stage-1 adapters carry zero LoRA");
        }
        assertTrue(ref.length > 0);
    }

    /**
     * The update (after - before) within 1e-3 of the reference update, relative to its largest
     * element, over the well-conditioned elements: Adam divides by √v, so where the reference
     * gradient is tiny (|g| < 1e-3·max|g|) float32 gradient noise is amplified without bound.
     */
    static void assertUpdate(float[] before, float[] refAfter, float[] gotAfter, float[] refGrad, String what) {
        double max = 0, diff = 0, gMax = 0;
        for (float g : refGrad) gMax = Math.max(gMax, Math.abs(g));
        for (int i = 0; i < before.length; i++) {
            if (Math.abs(refGrad[i]) < 1e-3 * gMax) continue;
            double r = refAfter[i] - before[i], g = gotAfter[i] - before[i];
            max = Math.max(max, Math.abs(r));
            diff = Math.max(diff, Math.abs(r - g));
        }
        assertTrue(diff <= 1e-3 * max + 1e-7, what + ": update differs by " + diff + " (largest update " + max + ")");
    }
}
