package io.ibllm.tokenizer;

import static org.junit.jupiter.api.Assertions.*;

import io.ibllm.Golden;
import io.ibllm.io.FormatException;
import io.ibllm.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SentencePieceTokenizerTest {
    static final Path MODEL = Golden.file("checkpoints/llama/tokenizer.model");

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String rel) throws IOException {
        return (Map<String, Object>) Json.parse(Files.readString(Golden.file(rel)));
    }

    static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(o -> ((Long) o).intValue()).toArray();
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyGoldenCaseEncodesAndDecodesExactly() throws IOException {
        SentencePieceTokenizer sp = SentencePieceTokenizer.load(MODEL);
        Map<String, Object> g = json("tokenizer/llama_tokenizer_cases.json");
        assertEquals(((Long) g.get("n_words")).intValue(), sp.vocabSize());
        assertEquals(((Long) g.get("bos_id")).intValue(), sp.bosId());
        assertEquals(((Long) g.get("eos_id")).intValue(), sp.eosId());
        assertEquals(((Long) g.get("pad_id")).intValue(), sp.padId());
        List<Object> cases = (List<Object>) g.get("cases");
        assertFalse(cases.isEmpty());
        for (Object o : cases) {
            Map<String, Object> c = (Map<String, Object>) o;
            String text = (String) c.get("text");
            int[] ids = ints(c.get("ids"));
            assertArrayEquals(ids, sp.encode(text), () -> "ids of " + text);
            assertArrayEquals(ints(c.get("ids_bos_eos")), sp.encode(text, true, true), () -> "ids_bos_eos of " + text);
            assertEquals(c.get("pieces"), sp.encodeAsPieces(text), () -> "pieces of " + text);
            assertEquals(c.get("decoded"), sp.decode(ids), () -> "decoded of " + text);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void vocabularyMatchesTheGoldenListing() throws IOException {
        SentencePieceTokenizer sp = SentencePieceTokenizer.load(MODEL);
        List<Object> vocab = (List<Object>) Json.parse(Files.readString(Golden.file("tokenizer/llama_tokenizer_vocab.json")));
        assertEquals(vocab.size(), sp.vocabSize());
        List<String> types = List.of("", "normal", "unknown", "control", "user_defined", "unused", "byte");
        for (Object o : vocab) {
            Map<String, Object> v = (Map<String, Object>) o;
            int id = ((Long) v.get("id")).intValue();
            SentencePieceModel.Piece p = sp.model().pieces().get(id);
            assertEquals(v.get("piece"), p.piece());
            assertEquals(((Number) v.get("score")).floatValue(), p.score(), 0f);
            assertEquals(v.get("type"), types.get(p.type()));
            assertEquals(id, sp.pieceToId(p.piece()));
        }
    }

    @Test
    void decodeInvertsEncodeOnTheTrainingCorpus() throws IOException {
        SentencePieceTokenizer sp = SentencePieceTokenizer.load(MODEL);
        List<String> lines = Files.readAllLines(Golden.file("tokenizer/sp_corpus.txt"));
        assertTrue(lines.size() > 10);
        for (String line : lines) assertEquals(line, sp.decode(sp.encode(line, true, true)));
        String all = String.join("\n", lines) + " \u00e9\u65e5\uD83E\uDD99 \t";
        assertEquals(all, sp.decode(sp.encode(all)));
    }

    @Test
    void streamingNeverSplitsACharacter() {
        SentencePieceTokenizer sp = SentencePieceTokenizer.load(MODEL);
        String text = "emoji \uD83E\uDD99\uD83D\uDD25 and caf\u00e9 \u65e5\u672c";
        int[] ids = sp.encode(text);
        TokenDecoder d = new TokenDecoder(sp);
        StringBuilder all = new StringBuilder();
        int emptyAfterByte = 0;
        for (int id : ids) {
            String s = d.accept(id);
            for (int i = 0; i < s.length(); i++) {
                assertFalse(Character.isHighSurrogate(s.charAt(i)) && (i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))), "split surrogate pair");
                assertNotEquals('\uFFFD', s.charAt(i), "a partial UTF-8 sequence was emitted");
            }
            if (s.isEmpty() && sp.isByte(id)) emptyAfterByte++;
            all.append(s);
        }
        all.append(d.finish());
        assertEquals(text, all.toString());
        assertTrue(emptyAfterByte >= 3, "a 4-byte emoji through byte fallback must hold back its first 3 bytes");
    }

    @Test
    void invalidByteSequencesDecodeToReplacementCharacters() {
        SentencePieceTokenizer sp = SentencePieceTokenizer.load(MODEL);
        int f0 = sp.pieceToId("<0xF0>"), x9f = sp.pieceToId("<0x9F>"), a = sp.pieceToId("<0x41>");
        // F0 9F then 'A': the truncated sequence is two invalid bytes, as sentencepiece decodes them
        assertEquals("\uFFFD\uFFFDA", sp.decode(f0, x9f, a));
        // an unfinished sequence at the end of the ids
        assertEquals("A\uFFFD", sp.decode(a, f0));
        // overlong encoding C0 80 is invalid
        assertEquals("\uFFFD\uFFFD", sp.decode(sp.pieceToId("<0xC0>"), sp.pieceToId("<0x80>")));
        assertEquals("", sp.decode(sp.bosId(), sp.eosId()));
        assertEquals(" \u2047 ", sp.decode(sp.unkId()));
        assertThrows(IllegalArgumentException.class, () -> sp.decode(sp.vocabSize()));
    }

    @Test
    void malformedModelIsAOneLineFormatErrorNamingTheFile(@TempDir Path dir) throws IOException {
        byte[] good = Files.readAllBytes(MODEL);
        List<byte[]> bad = new ArrayList<>();
        bad.add(java.util.Arrays.copyOf(good, good.length / 2));
        bad.add("{\"not\": \"a model\"}".getBytes());
        bad.add(new byte[0]);
        byte[] flipped = good.clone();
        flipped[1] = (byte) 0xFF; // first piece's length runs past the end
        bad.add(flipped);
        for (int i = 0; i < bad.size(); i++) {
            Path f = dir.resolve("bad" + i + ".model");
            Files.write(f, bad.get(i));
            FormatException e = assertThrows(FormatException.class, () -> SentencePieceTokenizer.load(f));
            assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
        Path missing = dir.resolve("missing.model");
        FormatException e = assertThrows(FormatException.class, () -> SentencePieceTokenizer.load(missing));
        assertTrue(e.getMessage().contains("missing.model"));
    }
}
