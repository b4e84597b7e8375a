package io.ibllm.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * CLIP's BPE over one word: repeatedly take the adjacent pair with the lowest merge rank and merge
 * all its occurrences, left to right. When every merge that uses a token comes after the merges
 * that create it (true of CLIP's file, checked on load), taking pairs from a priority queue by
 * (rank, position) gives the same result in O(n log n); otherwise the reference's rescanning
 * loop runs, whose cost grows with word length times merges applied.
 */
final class ClipBpe {
    private final Map<String, Integer> ranks; // "left right" -> rank
    private final boolean rankOrdered;

    boolean rankOrdered() { return rankOrdered; }

    ClipBpe(List<String> merges) {
        ranks = new HashMap<>(merges.size() * 2);
        Map<String, Integer> lastCreated = new HashMap<>(merges.size() * 2);
        for (int r = 0; r < merges.size(); r++) {
            String m = merges.get(r);
            ranks.put(m, r); // as Python's dict: a repeated merge keeps its last rank
            lastCreated.put(m.replace(" ", ""), r);
        }
        boolean ordered = true;
        for (int r = 0; r < merges.size() && ordered; r++) {
            String m = merges.get(r);
            int sp = m.indexOf(' ');
            ordered = lastCreated.getOrDefault(m.substring(0, sp), -1) < r && lastCreated.getOrDefault(m.substring(sp + 1), -1) < r;
        }
        rankOrdered = ordered;
    }

    List<String> merge(List<String> word) {
        return rankOrdered ? mergeByQueue(word) : mergeByRescan(word);
    }

    private int rank(String left, String right) {
        return ranks.getOrDefault(left + " " + right, -1);
    }

    private record Pair(int rank, int left, int right, int size) {}

    List<String> mergeByQueue(List<String> word) {
        int n = word.size();
        String[] sym = word.toArray(String[]::new);
        int[] next = new int[n], prev = new int[n];
        for (int i = 0; i < n; i++) { next[i] = i + 1 < n ? i + 1 : -1; prev[i] = i - 1; }
        PriorityQueue<Pair> queue = new PriorityQueue<>((a, b) -> a.rank != b.rank ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
        for (int i = 0; i + 1 < n; i++) push(queue, sym, i, i + 1);
        while (!queue.isEmpty()) {
            Pair p = queue.poll();
            int l = p.left, r = p.right;
            if (sym[l] == null || sym[r] == null || sym[l].length() + sym[r].length() != p.size) continue;
            sym[l] = sym[l] + sym[r];
            sym[r] = null;
            next[l] = next[r];
            if (next[r] >= 0) prev[next[r]] = l;
            if (prev[l] >= 0) push(queue, sym, prev[l], l);
            if (next[l] >= 0) push(queue, sym, l, next[l]);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i >= 0; i = next[i]) out.add(sym[i]);
        return out;
    }

    private void push(PriorityQueue<Pair> queue, String[] sym, int l, int r) {
        int rank = rank(sym[l], sym[r]);
        if (rank >= 0) queue.add(new Pair(rank, l, r, sym[l].length() + sym[r].length()));
    }

    /** The reference loop (SimpleTokenizer.bpe). */
    List<String> mergeByRescan(List<String> word) {
        word = new ArrayList<>(word);
        while (word.size() > 1) {
            int best = Integer.MAX_VALUE;
            String first = null, second = null;
            for (int i = 0; i + 1 < word.size(); i++) {
                int r = rank(word.get(i), word.get(i + 1));
                if (r >= 0 && r < best) { best = r; first = word.get(i); second = word.get(i + 1); }
            }
            if (first == null) break;
            List<String> merged = new ArrayList<>(word.size());
            for (int i = 0; i < word.size(); ) {
                if (i + 1 < word.size() && word.get(i).equals(first) && word.get(i + 1).equals(second)) {
                    merged.add(first + second);
                    i += 2;
                } else {
                    merged.add(word.get(i++));
                }
            }
            word = merged;
        }
        return word;
    }
}
