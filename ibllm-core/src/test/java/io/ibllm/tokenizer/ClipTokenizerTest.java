package io.ibllm.tokenizer;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.Golden;
import io.ibllm.io.FormatException;
import io.ibllm.io.Json;
import io.ibllm.io.Npy;
import io.ibllm.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipTokenizerTest {
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> cases() throws IOException {
        Map<String, Object> g = (Map<String, Object>) Json.parse(Files.readString(Golden.file("tokenizer/clip_tokenizer_cases.json")));
        assertEquals(49406L, g.get("sot"));
        assertEquals(49407L, g.get("eot"));
        assertEquals((long) ClipTokenizer.CONTEXT_LENGTH, g.get("context_length"));
        return (List<Map<String, Object>>) (List<?>) g.get("cases");
    }

    static long[] longs(Object list) {
        return ((List<?>) list).stream().mapToLong(o -> (Long) o).toArray();
    }

    @Test
    void everyGoldenCaseCleansEncodesAndPadsExactly() throws IOException {
        ClipTokenizer clip = ClipTokenizer.standard();
        assertEquals(49408, clip.vocabSize());
        List<Map<String, Object>> cases = cases();
        assertFalse(cases.isEmpty());
        for (Map<String, Object> c : cases) {
            String text = (String) c.get("text");
            assertEquals(c.get("cleaned"), ClipTokenizer.clean(text), () -> "cleaned " + text);
            int[] ids = clip.encode(text);
            assertArrayEquals(longs(c.get("bpe_ids")), java.util.Arrays.stream(ids).asLongStream().toArray(), () -> "bpe_ids " + text);
            assertArrayEquals(longs(c.get("tokens_77")), clip.tokens77(text), () -> "tokens_77 " + text);
            assertEquals(c.get("decoded"), clip.decode(ids), () -> "decoded " + text);
        }
    }

    @Test
    void rowsMatchTextTokensNpyAndTheLongCaptionLosesItsEot() throws IOException {
        ClipTokenizer clip = ClipTokenizer.standard();
        Tensor t = Npy.read(Golden.file("preprocess/text_tokens.npy"));
        long[] all = t.toLongArray();
        int rows = (int) t.shape()[0];
        assertEquals(77, t.shape()[1]);
        List<Map<String, Object>> cases = cases();
        assertEquals(rows, cases.size());
        boolean sawTruncated = false;
        for (int r = 0; r < rows; r++) {
            long[] row = clip.tokens77((String) cases.get(r).get("text"));
            assertArrayEquals(java.util.Arrays.copyOfRange(all, r * 77, r * 77 + 77), row, "row " + r);
            if (clip.encode((String) cases.get(r).get("text")).length > 75) {
                sawTruncated = true;
                assertTrue(java.util.Arrays.stream(row).noneMatch(x -> x == clip.eot), "this copy of ImageBind does not re-append EOT");
            }
        }
        assertTrue(sawTruncated);
    }

    @Test
    void specTestVectors() {
        ClipTokenizer clip = ClipTokenizer.standard();
        // spec §6.3, computed with the reference tokenizer
        assertArrayEquals(new long[] {49406, 320, 1929, 269, 49407}, head(clip.tokens77("A dog."), 5));
        assertArrayEquals(new long[] {49406, 320, 1125, 539, 320, 2368, 49407}, head(clip.tokens77("a photo of a cat"), 7));
        assertArrayEquals(new long[] {49406, 3306, 267, 1002, 256, 585, 568, 273, 271, 273, 274, 49407},
                head(clip.tokens77("Hello, World!  it's 2023"), 12));
    }

    private static long[] head(long[] a, int n) {
        for (int i = n; i < a.length; i++) assertEquals(0, a[i]);
        return java.util.Arrays.copyOf(a, n);
    }

    @Test
    void aMergesFileFromDiskGivesTheSameTokens() {
        ClipTokenizer disk = ClipTokenizer.load(Golden.file("tokenizer/bpe_simple_vocab_16e6.txt.gz"));
        ClipTokenizer bundled = ClipTokenizer.standard();
        String s = "a dog &amp; a CAT on the mat, 42 times";
        assertArrayEquals(bundled.encode(s), disk.encode(s));
    }

    @Test
    void brokenMergesFileIsAOneLineErrorNamingIt(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("merges.txt.gz");
        Files.writeString(f, "not gzip");
        FormatException e = assertThrows(FormatException.class, () -> ClipTokenizer.load(f));
        assertTrue(e.getMessage().contains(f.toString()));
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void queueMergingAgreesWithTheReferenceLoop() throws IOException {
        ClipBpe bpe = ClipTokenizer.standard().bpe();
        assertTrue(bpe.rankOrdered(), "CLIP's merges create every token before using it");
        java.util.Random rnd = new java.util.Random(5);
        String text = Files.readString(Golden.file("tokenizer/sp_corpus.txt")).toLowerCase();
        String alphabet = "abcdeilnorst";
        java.util.Set<String> words = new java.util.LinkedHashSet<>(List.of(text.split("[^a-z]+")));
        for (int i = 0; i < 300; i++) {
            StringBuilder w = new StringBuilder();
            for (int k = 1 + rnd.nextInt(40); k > 0; k--) w.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            words.add(w.toString());
        }
        words.add("a".repeat(64));
        int checked = 0;
        for (String w : words) {
            if (w.isEmpty()) continue;
            List<String> symbols = new java.util.ArrayList<>(w.chars().mapToObj(Character::toString).toList());
            symbols.set(symbols.size() - 1, symbols.getLast() + "</w>");
            assertEquals(bpe.mergeByRescan(symbols), bpe.mergeByQueue(symbols), w);
            checked++;
        }
        assertTrue(checked > 300, "checked " + checked);
    }
}
