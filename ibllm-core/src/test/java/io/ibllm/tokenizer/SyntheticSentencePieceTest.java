package io.ibllm.tokenizer;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hand-built ModelProtoWriter exercising what LLaMA's model does not: user-defined and unused pieces,
 * no byte fallback (runs of unknown characters become one <unk>), and trainer fields this reader
 * skips. Expected pieces are worked out by hand from SentencePiece's BPE rules (see comments).
 */
class SyntheticSentencePieceTest {
    static ProtoWriter piece(String p, float score, int type) {
        return new ProtoWriter().str(1, p).f32(2, score).uint(3, type);
    }

    static SentencePieceTokenizer model() {
        ProtoWriter m = new ProtoWriter();
        m.msg(1, piece("<unk>", 0, 2)).msg(1, piece("<s>", 0, 3)).msg(1, piece("</s>", 0, 3))
                .msg(1, piece("<sep>", 0, 4))                              // 3 user-defined
                .msg(1, piece("\u2581", -1, 1)).msg(1, piece("a", -2, 1))  // 4, 5
                .msg(1, piece("b", -3, 1)).msg(1, piece("c", -4, 1))       // 6, 7
                .msg(1, piece("ab", -5, 1)).msg(1, piece("\u2581a", -0.5f, 1)) // 8, 9
                .msg(1, piece("bc", 10, 5))                                // 10 unused, best score
                .msg(1, piece("\u2581ab", -6, 1));                         // 11
        ProtoWriter trainer = new ProtoWriter().str(1, "corpus.txt").str(2, "m").uint(3, 2).uint(4, 12)
                .f32(10, 0.9995f).uint(11, 1L << 40).fixed64(60, 42).uint(35, 0);
        ProtoWriter normalizer = new ProtoWriter().str(1, "identity").uint(3, 1).uint(4, 0).uint(5, 1);
        m.msg(2, trainer).msg(3, normalizer).str(99, "unknown trailing field");
        return new SentencePieceTokenizer(SentencePieceModel.parse(m.toByteArray(), Path.of("synthetic.model")), Path.of("synthetic.model"));
    }

    @Test
    void unusedPiecesMergeThenSplitBack() {
        SentencePieceTokenizer sp = model();
        // "▁abc": bc (unused, score 10) merges first, then ▁a; "abc" and "▁abc" are not pieces;
        // bc is then resegmented into b c. Skipping unused pairs would give ▁ab c instead.
        assertEquals(List.of("\u2581a", "b", "c"), sp.encodeAsPieces("abc"));
        assertArrayEquals(new int[] {9, 6, 7}, sp.encode("abc"));
    }

    @Test
    void userDefinedSymbolsAreNeverMerged() {
        SentencePieceTokenizer sp = model();
        assertArrayEquals(new int[] {9, 3, 6}, sp.encode("a<sep>b"));
    }

    @Test
    void withoutByteFallbackAnUnknownRunIsOneUnk() {
        SentencePieceTokenizer sp = model();
        assertEquals(List.of("\u2581", "xyz", "\u2581a"), sp.encodeAsPieces("xyz a"));
        assertArrayEquals(new int[] {4, 0, 9}, sp.encode("xyz a"));
        // the first ▁ is the dummy prefix and vanishes; <unk> reads " ⁇ "
        assertEquals(" \u2047  a", sp.decode(4, 0, 9));
        assertArrayEquals(new int[] {1, 9, 2}, sp.encode("a", true, true));
        assertEquals(-1, sp.padId());
        assertEquals(0, sp.unkId());
    }
}
