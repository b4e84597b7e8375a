package io.ibllm.cli;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.io.Json;
import io.ibllm.io.Npy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One command from media files to the golden answer: the reference's five mixed inputs (image,
 * video, audio, point cloud, text with weights 1, 0.8, 0.5, 0.3, 0.2) from the raw golden files
 * (the video as its 1-clip tensor, as the golden used clips_per_video=1), with and without the
 * visual cache, give exactly the golden greedy ids.
 */
class GenerateMediaTest {
    private static List<String> args() {
        String instruction = (String) ((Map<?, ?>) ((Map<?, ?>) goldenJson()).get("llm")).get("instruction");
        return new ArrayList<>(List.of("generate",
                "--llama-dir", CliRun.golden("checkpoints/llama/tiny").toString(),
                "--tokenizer", CliRun.golden("checkpoints/llama/tokenizer.model").toString(),
                "--adapter", CliRun.golden("checkpoints/imagebind_llm_adapter.pth").toString(),
                "--imagebind", CliRun.golden("checkpoints/imagebind_w3D.pth").toString(),
                "--imagebind-config", CliRun.golden("config/golden_config.json").toString(),
                "--image", CliRun.golden("inputs/image_0.png").toString(),
                "--video", CliRun.golden("preprocess/video_clips1.npy").toString(),
                "--audio", CliRun.golden("inputs/audio_0.wav").toString(),
                "--points", CliRun.golden("inputs/point_0.npy").toString(), "--fps-start", "628",
                "--text", "a photo of a dog",
                "--weights", "1,0.8,0.5,0.3,0.2",
                "--prompt", instruction, "--temperature", "0", "--max-tokens", "16", "--json"));
    }

    private static Object goldenJson() {
        try {
            return Json.parse(java.nio.file.Files.readString(CliRun.golden("golden.json")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long[] ids(CliRun r) {
        assertEquals(0, r.exitCode(), r.err());
        List<?> ids = (List<?>) ((Map<?, ?>) Json.parse(r.out().strip())).get("ids");
        return ids.stream().mapToLong(x -> ((Number) x).longValue()).toArray();
    }

    @Test
    void rawMediaWithoutCacheGiveTheGoldenIds() {
        long[] want = Npy.read(CliRun.golden("outputs/llm/generate_noknn_ids.npy")).toLongArray();
        assertArrayEquals(want, ids(CliRun.of(args().toArray(String[]::new))), Arrays.toString(want));
    }

    @Test
    void rawMediaWithTheCacheGiveTheGoldenIds() {
        List<String> a = args();
        a.addAll(List.of("--cache", CliRun.golden("checkpoints/knn.index").toString()));
        long[] want = Npy.read(CliRun.golden("outputs/llm/generate_knn_ids.npy")).toLongArray();
        assertArrayEquals(want, ids(CliRun.of(a.toArray(String[]::new))), Arrays.toString(want));
    }

    @Test
    void mediaWithoutImageBindIsAClearError() {
        List<String> a = new ArrayList<>(args());
        int i = a.indexOf("--imagebind");
        a.remove(i);
        a.remove(i);
        CliRun r = CliRun.of(a.toArray(String[]::new));
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("--imagebind"), r.err());
    }
}
