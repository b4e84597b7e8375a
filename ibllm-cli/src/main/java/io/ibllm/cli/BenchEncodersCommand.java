package io.ibllm.cli;

import io.ibllm.imagebind.ImageBindConfig;
import io.ibllm.io.Json;
import io.ibllm.imagebind.ImageBindModel;
import io.ibllm.imagebind.Modality;
import io.ibllm.imagebind.ModalityEncoder;
import io.ibllm.imagebind.SyntheticCheckpoint;
import io.ibllm.pointbind.PointBertConfig;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.Parallel;
import io.ibllm.tensor.Tensor;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ibllm bench encoders}: one forward (to the head output) of each tower with random
 * weights, fp32, official huge shapes unless a model config says otherwise: vision ViT-H/14 (257
 * tokens per image), audio (one item = 3 clips), text (77 tokens), Point-BERT (8192 points), and
 * on request depth, thermal, IMU; {@code --batch} items per forward (cache building embeds images
 * in batches).
 */
@Command(name = "encoders", description = "Time one forward of each ImageBind tower on random weights (fp32).")
public final class BenchEncodersCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--towers", split = ",", paramLabel = "LIST", defaultValue = "vision,audio,text,point",
            description = "Towers to time (default ${DEFAULT-VALUE}; also depth, thermal, imu).")
    List<String> towers;

    @Option(names = "--imagebind-config", paramLabel = "FILE", description = "Sizes (default: official huge).")
    Path config;

    @Option(names = "--points", paramLabel = "N", defaultValue = "8192", description = "Points per cloud (default ${DEFAULT-VALUE}).")
    int points;

    @Option(names = "--iters", paramLabel = "N", defaultValue = "3", description = "Timed forwards after one warm-up (default ${DEFAULT-VALUE}).")
    int iters;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1",
            description = "Items per forward for vision, depth, thermal, imu, point and text (default ${DEFAULT-VALUE}; audio always takes its 3 clips per item).")
    int batch;

    @Option(names = "--threads", paramLabel = "N", description = "Threads (default: the pool size).")
    Integer threads;

    @Option(names = "--json", description = "Print JSON: per tower ms, ms_per_item, items_per_s; peak_rss_bytes.")
    boolean json;

    @Override
    public Integer call() {
        if (iters < 1) throw new IllegalArgumentException("--iters must be at least 1");
        if (batch < 1) throw new IllegalArgumentException("--batch must be at least 1");
        int poolThreads = Parallel.activeThreads();
        if (threads != null) Parallel.setActiveThreads(threads);
        try {
            return run();
        } finally {
            Parallel.setActiveThreads(poolThreads);   // in-process callers (tests, the API) keep their pool
        }
    }

    private int run() {
        ImageBindConfig c = config == null ? ImageBindConfig.defaults() : ImageBindConfig.read(config);
        PointBertConfig pc = pointConfig(c);
        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf("ImageBind encoders, fp32, %d threads, random weights; ms per forward (median of %d)%n", Parallel.activeThreads(), iters);
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String name : towers) {
            Modality m = modality(name);
            SyntheticCheckpoint f = SyntheticCheckpoint.create(c, pc, EnumSet.of(m), 1);
            ModalityEncoder enc = ImageBindModel.loadEncoder(f, c, m);
            Tensor input = input(m, c);
            double ms = medianMs(enc, input);
            long items = m == Modality.AUDIO ? 1 : input.dim(0);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("tower", m.key());
            row.put("input", Arrays.stream(input.shape()).boxed().toList());
            row.put("items", items);
            row.put("ms", ms);
            row.put("ms_per_item", ms / items);
            row.put("items_per_s", items * 1000 / ms);
            rows.add(row);
            if (!json) {
                out.printf("  %-8s input %-22s %10.1f ms  (%.1f ms per item, %.2f items/s)%n", m.key(),
                        Arrays.toString(input.shape()), ms, ms / items, items * 1000 / ms);
                out.flush();
            }
        }
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("threads", Parallel.activeThreads());
            r.put("iters", iters);
            r.put("towers", rows);
            r.put("peak_rss_bytes", PeakRss.self());
            out.println(Json.write(r));
        }
        return 0;
    }

    /** One untimed warm-up forward, then the median of {@code iters} timed ones. */
    private double medianMs(ModalityEncoder enc, Tensor input) {
        enc.encode(input);
        long[] ns = new long[iters];
        for (int i = 0; i < iters; i++) {
            long t0 = System.nanoTime();
            enc.encode(input);
            ns[i] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        return ns[iters / 2] / 1e6;
    }

    /** The official Point-BERT sizes overridden by the config's "point" keys. */
    private static PointBertConfig pointConfig(ImageBindConfig c) {
        Map<String, Integer> g = PointBertConfig.given(Map.of("point", c.point()), c.source());
        PointBertConfig o = PointBertConfig.OFFICIAL;
        return new PointBertConfig(g.getOrDefault("trans_dim", o.transDim()), g.getOrDefault("depth", o.depth()),
                g.getOrDefault("num_heads", o.numHeads()), g.getOrDefault("group_size", o.groupSize()),
                g.getOrDefault("num_group", o.numGroup()), g.getOrDefault("encoder_dims", o.encoderDims()));
    }

    private static Modality modality(String name) {
        for (Modality m : Modality.values()) if (m.key().equals(name.trim())) return m;
        throw new IllegalArgumentException("--towers: unknown tower \"" + name + "\" (vision, text, audio, depth, thermal, imu, point)");
    }

    /** {@code batch} reference inputs (audio: one item = its 3 clips, flattened as ImageBind does). */
    private Tensor input(Modality m, ImageBindConfig c) {
        Random r = new Random(1);
        return switch (m) {
            case VISION -> gaussian(r, batch, 3, 224, 224);
            case AUDIO -> gaussian(r, 3, 1, c.integer("audio_num_mel_bins"), c.integer("audio_target_len"));
            case DEPTH, THERMAL -> gaussian(r, batch, 1, 224, 224);
            case IMU -> gaussian(r, batch, 6, 2000);
            case POINT -> gaussian(r, batch, points, 3);
            case TEXT -> {
                long[] ids = new long[77 * batch];
                for (int b = 0; b < batch; b++) {
                    ids[77 * b] = 49406;
                    for (int i = 1; i < 20; i++) ids[77 * b + i] = 1000 + r.nextInt(40000);
                    ids[77 * b + 20] = 49407;
                }
                yield Tensor.of(DType.I64, new long[] {batch, 77}, MemorySegment.ofArray(ids));
            }
        };
    }

    private static Tensor gaussian(Random r, long... shape) {
        float[] v = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        return Tensor.f32(v, shape);
    }
}
