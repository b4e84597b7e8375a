package io.ibllm.train;

import io.ibllm.io.AtomicFiles;
import io.ibllm.io.Json;
import io.ibllm.io.PthWriter;
import io.ibllm.io.Safetensors;
import io.ibllm.io.SafetensorsWriter;
import io.ibllm.tensor.Tensor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a run leaves in --out: {@code adapter.safetensors} and {@code adapter.pth} (the complete
 * adapter in the official 7B.pth layout) and {@code checkpoint/} (parameters, Adam moments and
 * state.json: step and options) to resume from. The checkpoint folder is written beside the old
 * one and swapped in by renames, so a kill at any moment leaves one complete checkpoint.
 */
public final class TrainCheckpoint {
    private TrainCheckpoint() {}

    public static void save(Path out, TrainModel model, AdamW adam, long step, TrainOptions options) {
        try {
            Files.createDirectories(out);
            Path tmp = out.resolve("checkpoint.tmp"), cur = out.resolve("checkpoint"), old = out.resolve("checkpoint.old");
            deleteTree(tmp);
            Files.createDirectories(tmp);
            Map<String, Tensor> params = new LinkedHashMap<>(), moments = new LinkedHashMap<>();
            List<Param> tr = adam.params();
            for (int i = 0; i < tr.size(); i++) {
                Param p = tr.get(i);
                params.put(p.name(), Tensor.f32(p.data, p.shape()));
                moments.put(p.name() + ".exp_avg", Tensor.f32(adam.expAvg(i), p.shape()));
                moments.put(p.name() + ".exp_avg_sq", Tensor.f32(adam.expAvgSq(i), p.shape()));
            }
            SafetensorsWriter.write(tmp.resolve("params.safetensors"), params);
            SafetensorsWriter.write(tmp.resolve("optimizer.safetensors"), moments);
            Map<String, Object> state = new LinkedHashMap<>();
            state.put("step", step);
            state.put("options", options.toMap());
            AtomicFiles.write(tmp.resolve("state.json"), o -> o.write(Json.write(state).getBytes(StandardCharsets.UTF_8)));
            if (Files.exists(cur)) {
                deleteTree(old);
                Files.move(cur, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, cur, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(old);
            writeAdapter(out, model);
        } catch (IOException e) {
            throw new io.ibllm.io.FormatException(out, "cannot write checkpoint: " + e.getMessage());
        }
    }

    /** The full adapter, every key in module order, as .safetensors and as a torch.load-able .pth. */
    static void writeAdapter(Path out, TrainModel model) {
        Map<String, Tensor> st = new LinkedHashMap<>();
        Map<String, PthWriter.Entry> pth = new LinkedHashMap<>();
        model.adapterTensors().forEach((k, p) -> {
            st.put(k, Tensor.f32(p.data(), p.shape()));
            pth.put(k, p);
        });
        SafetensorsWriter.write(out.resolve("adapter.safetensors"), st);
        PthWriter.write(out.resolve("adapter.pth"), "model", pth);
    }

    /** The state saved in {@code dir/checkpoint} (or checkpoint.old after an interrupted swap). */
    public record Saved(Path dir, long step, TrainOptions options) {
        public void restore(TrainModel model, AdamW adam) {
            try (Safetensors params = Safetensors.open(dir.resolve("params.safetensors"));
                 Safetensors moments = Safetensors.open(dir.resolve("optimizer.safetensors"))) {
                List<Param> tr = adam.params();
                float[][] m = new float[tr.size()][], v = new float[tr.size()][];
                for (int i = 0; i < tr.size(); i++) {
                    Param p = tr.get(i);
                    float[] saved = params.get(p.name()).toFloatArray();
                    System.arraycopy(saved, 0, p.data, 0, p.size());
                    m[i] = moments.get(p.name() + ".exp_avg").toFloatArray();
                    v[i] = moments.get(p.name() + ".exp_avg_sq").toFloatArray();
                }
                adam.restore(step, m, v);
            }
        }
    }

    @SuppressWarnings("unchecked")
    public static Saved load(Path out) {
        Path dir = out.resolve("checkpoint");
        if (!Files.exists(dir.resolve("state.json"))) dir = out.resolve("checkpoint.old");
        Path state = dir.resolve("state.json");
        if (!Files.exists(state)) throw new io.ibllm.io.FormatException(out, "no training checkpoint to resume (expected checkpoint/state.json)");
        try {
            Map<String, Object> s = (Map<String, Object>) Json.parse(Files.readString(state), state);
            return new Saved(dir, ((Number) s.get("step")).longValue(), TrainOptions.fromMap((Map<String, Object>) s.get("options")));
        } catch (IOException e) {
            throw new io.ibllm.io.FormatException(state, "cannot read: " + e.getMessage());
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
