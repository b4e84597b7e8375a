package io.ibllm.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * SentencePiece's precompiled normalisation map ({@code NormalizerSpec.precompiled_charsmap}):
 * a uint32 trie size, a darts-clone double-array trie over UTF-8 bytes, then NUL-terminated
 * replacement strings addressed by the trie's values. Models with the "identity" rule have none.
 */
final class CharsMap {
    private static final int MAX_RESULTS = 32; // Normalizer::kMaxTrieResultsSize
    private final int[] units;
    private final byte[] replacements;
    private final Map<Integer, String> decoded = new HashMap<>();

    private CharsMap(int[] units, byte[] replacements) {
        this.units = units;
        this.replacements = replacements;
    }

    /** Returns null for an empty map; throws IllegalArgumentException for a broken blob. */
    static CharsMap of(byte[] blob) {
        if (blob.length == 0) return null;
        if (blob.length <= 4) throw new IllegalArgumentException("precompiled_charsmap is broken");
        long trieSize = u32(blob, 0);
        if (trieSize >= blob.length - 4 || trieSize % 4 != 0) throw new IllegalArgumentException("precompiled_charsmap trie size " + trieSize + " is invalid");
        int[] units = new int[(int) trieSize / 4];
        for (int i = 0; i < units.length; i++) units[i] = (int) u32(blob, 4 + 4 * i);
        byte[] rest = java.util.Arrays.copyOfRange(blob, 4 + (int) trieSize, blob.length);
        return new CharsMap(units, rest);
    }

    private static long u32(byte[] b, int o) {
        return (b[o] & 0xFFL) | (b[o + 1] & 0xFFL) << 8 | (b[o + 2] & 0xFFL) << 16 | (b[o + 3] & 0xFFL) << 24;
    }

    /** A match: chars of the input consumed and the replacement text. */
    record Match(int consumed, String replacement) {}

    /**
     * The longest rule matching a prefix of {@code s} at {@code pos}, or null. Keys are whole
     * UTF-8 characters, so the walk feeds the trie one code point at a time.
     */
    Match longestPrefix(String s, int pos) {
        int node = offset(unit(0));
        int found = 0, bestChars = 0, bestValue = 0;
        byte[] cp = new byte[4];
        for (int i = pos; i < s.length(); ) {
            int c = s.codePointAt(i);
            int n = utf8(c, cp);
            int next = i + Character.charCount(c);
            for (int k = 0; k < n; k++) {
                int label = cp[k] & 0xFF;
                node ^= label;
                int u = unit(node);
                if ((u & 0x800000FF) != label) return best(bestChars, bestValue, found);
                node ^= offset(u);
                if (((u >>> 8) & 1) == 1 && k == n - 1) {
                    if (found < MAX_RESULTS) { bestChars = next - pos; bestValue = unit(node) & 0x7FFFFFFF; }
                    found++;
                }
            }
            i = next;
        }
        return best(bestChars, bestValue, found);
    }

    private Match best(int chars, int value, int found) {
        return found == 0 ? null : new Match(chars, decoded.computeIfAbsent(value, this::replacement));
    }

    private String replacement(int offset) {
        if (offset >= replacements.length) return "";
        int end = offset;
        while (end < replacements.length && replacements[end] != 0) end++;
        return new String(replacements, offset, end - offset, StandardCharsets.UTF_8);
    }

    // A malformed trie must not crash: indices past the array read as an empty unit (no match).
    private int unit(int i) { return i >= 0 && i < units.length ? units[i] : 0x80000000; }

    private static int offset(int u) { return (u >>> 10) << ((u & (1 << 9)) >>> 6); }

    static int utf8(int c, byte[] out) {
        if (c < 0x80) { out[0] = (byte) c; return 1; }
        if (c < 0x800) { out[0] = (byte) (0xC0 | c >> 6); out[1] = (byte) (0x80 | c & 0x3F); return 2; }
        if (c < 0x10000) {
            out[0] = (byte) (0xE0 | c >> 12); out[1] = (byte) (0x80 | c >> 6 & 0x3F); out[2] = (byte) (0x80 | c & 0x3F);
            return 3;
        }
        out[0] = (byte) (0xF0 | c >> 18); out[1] = (byte) (0x80 | c >> 12 & 0x3F);
        out[2] = (byte) (0x80 | c >> 6 & 0x3F); out[3] = (byte) (0x80 | c & 0x3F);
        return 4;
    }
}
