package io.ibllm.bind;

import static io.ibllm.bind.BindNetworkTest.assertClose;
import static io.ibllm.bind.BindNetworkTest.npy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.ibllm.Golden;
import io.ibllm.io.Npy;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Embedding arithmetic (spec §5) against the reference's forward_visual inputs. */
class MixerTest {
    static float[] row(String file, int r) {
        float[] all = Npy.read(Golden.file("outputs/imagebind/" + file)).toFloatArray();
        return Arrays.copyOfRange(all, r * 32, (r + 1) * 32);
    }

    @Test
    void fiveModalitiesInDictOrder() {
        // golden.json llm.mixed_inputs: Image 1.0, Video 0.8, Audio 0.5, Point 0.3, Text 0.2
        List<float[]> e = List.of(row("vision_postnorm.npy", 0), row("video_postnorm.npy", 0),
                row("audio_postnorm.npy", 0), row("point_postnorm.npy", 0), row("text_postnorm.npy", 0));
        float[] f = Mixer.mix(e, new float[] {1f, 0.8f, 0.5f, 0.3f, 0.2f});
        assertClose(npy("mixed_noknn_bind_input.npy"), f, 1e-6f, "mixed embedding");
    }

    @Test
    void singleInputIsNormalisedAndScaledByOneOverOnePlusEps() {
        float[] q = npy("knn_given_query.npy");
        for (int r = 0; r < 2; r++) {
            float[] scaled = Arrays.copyOfRange(q, r * 32, (r + 1) * 32);
            for (int i = 0; i < 32; i++) scaled[i] *= 7.5f;
            float[] expected = Arrays.copyOfRange(npy("bind_given_noknn_input.npy"), r * 32, (r + 1) * 32);
            assertClose(expected, Mixer.mix(List.of(scaled), new float[] {1f}), 1e-6f, "row " + r);
        }
    }

    @Test
    void weightCountMustMatch() {
        assertThrows(IllegalArgumentException.class, () -> Mixer.mix(List.of(new float[4]), new float[] {1, 2}));
    }
}
