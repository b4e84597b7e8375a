package io.ibllm.train;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.io.Json;
import io.ibllm.train.data.DataFiles;
import io.ibllm.train.data.Example;
import io.ibllm.train.data.Sequence;
import io.ibllm.train.data.TrainPrompts;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Prompts, sequences, labels and masks exactly as the reference datasets built them. */
class SequenceGoldenTest {
    @SuppressWarnings("unchecked")
    static Map<String, Object> items() throws Exception {
        Map<String, Object> s = (Map<String, Object>) Json.parse(Files.readString(TrainGoldenTest.golden("train/sequences.json")));
        return (Map<String, Object>) s.get("items");
    }

    static int[] ints(Object o) {
        return ((List<?>) o).stream().mapToInt(x -> ((Number) x).intValue()).toArray();
    }

    static long[] longs(Object o) {
        return ((List<?>) o).stream().mapToLong(x -> ((Number) x).longValue()).toArray();
    }

    @Test
    @SuppressWarnings("unchecked")
    void sequencesLabelsAndMasks() throws Exception {
        for (var e : items().entrySet()) {
            Map<String, Object> it = (Map<String, Object>) e.getValue();
            int maxWords = ((Number) it.get("max_words")).intValue();
            Sequence s = Sequence.build(ints(it.get("input1_ids")), ints(it.get("input2_ids")), maxWords);
            assertArrayEquals(longs(it.get("tokens")), s.tokens(), e.getKey() + " tokens");
            assertArrayEquals(longs(it.get("labels")), s.labels(), e.getKey() + " labels");
            float[] mask = new float[maxWords];
            long[] ref = longs(it.get("example_mask"));
            for (int i = 0; i < maxWords; i++) mask[i] = ref[i];
            assertArrayEquals(mask, s.mask(), e.getKey() + " mask");
            assertEquals(((Number) it.get("num_loss_targets")).intValue(), s.targets(), e.getKey() + " targets");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void promptsWithReferenceQuirks() throws Exception {
        Map<String, Object> items = items();
        List<Example> pre = DataFiles.read(TrainGoldenTest.golden("train/pretrain_meta.tsv"), true);
        List<Example> fine = DataFiles.read(TrainGoldenTest.golden("train/finetune_meta.json"), true);
        check((Map<String, Object>) items.get("pretrain_0"), pre.get(0));
        check((Map<String, Object>) items.get("pretrain_1"), pre.get(1));
        check((Map<String, Object>) items.get("finetune_0_llava"), fine.get(0));
        check((Map<String, Object>) items.get("finetune_1_alpaca"), fine.get(1));
        check((Map<String, Object>) items.get("finetune_2_alpaca_noinput"), fine.get(2));
        assertTrue(fine.get(1).zeroImage(), "text-only items get the zero image with quirks");
        assertTrue(pre.get(0).image().toString().endsWith("inputs/image_0.png"));
    }

    private static void check(Map<String, Object> ref, Example ex) {
        String prompt = TrainPrompts.format(ex.instruction(), ex.input());
        assertEquals(ref.get("input1_text"), prompt);
        assertEquals(ref.get("input2_text"), prompt + ex.answer());
    }

    @Test
    void cleanPromptsWithoutQuirks() throws Exception {
        List<Example> fine = DataFiles.read(TrainGoldenTest.golden("train/finetune_meta.json"), false);
        assertEquals("What colours can you see in this picture?", fine.get(0).instruction());
        assertEquals("Name two things you'd pack for a picnic.", fine.get(1).instruction());
        assertFalse(fine.get(1).hasVisual(), "text-only items get no visual injection without quirks");
    }
}
