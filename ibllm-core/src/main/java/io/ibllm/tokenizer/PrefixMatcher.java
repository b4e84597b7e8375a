package io.ibllm.tokenizer;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Longest match of a fixed set of strings (SentencePiece's user-defined symbols) at a position.
 * The sets are small (often empty), so a hash probe per candidate length is enough.
 */
final class PrefixMatcher {
    private final Set<String> symbols;
    private final int[] lengthsDescending;

    PrefixMatcher(Collection<String> symbols) {
        this.symbols = new HashSet<>(symbols);
        TreeSet<Integer> lengths = new TreeSet<>();
        for (String s : symbols) lengths.add(s.length());
        this.lengthsDescending = lengths.descendingSet().stream().mapToInt(Integer::intValue).toArray();
    }

    /** Length in chars of the longest symbol starting at {@code pos}, or 0 when none does. */
    int match(String s, int pos) {
        for (int len : lengthsDescending) {
            if (pos + len <= s.length() && symbols.contains(s.substring(pos, pos + len))) return len;
        }
        return 0;
    }
}
