package io.ibllm.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * SentencePiece's BPE encoding (bpe_model.cc, 0.1.x): split the normalised text into characters
 * (user-defined symbols as single frozen symbols), then repeatedly merge the adjacent pair whose
 * concatenation is a piece with the highest score, leftmost first on ties. A priority queue over
 * adjacent pairs keeps this O(n log n); stale queue entries are recognised by their length.
 * Merges into UNUSED pieces are undone afterwards (resegmentation).
 */
final class BpeMerger {
    private final SentencePieceTokenizer vocab;
    private final PrefixMatcher userDefined;

    BpeMerger(SentencePieceTokenizer vocab, PrefixMatcher userDefined) {
        this.vocab = vocab;
        this.userDefined = userDefined;
    }

    private record Pair(int left, int right, float score, int size) {}

    /** The pieces of the normalised text, in order, with their ids (unknown pieces get unk). */
    List<String> merge(String text) {
        if (text.isEmpty()) return List.of();
        Symbols sym = split(text);
        PriorityQueue<Pair> agenda = new PriorityQueue<>((a, b) ->
                a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.left, b.left));
        Map<String, String[]> revMerge = new HashMap<>();
        for (int i = 1; i < sym.n; i++) addPair(text, sym, i - 1, i, agenda, revMerge);
        while (!agenda.isEmpty()) {
            Pair top = agenda.poll();
            int l = top.left, r = top.right;
            if (sym.len(l) == 0 || sym.len(r) == 0 || sym.len(l) + sym.len(r) != top.size) continue;
            sym.end[l] = sym.end[r];
            sym.next[l] = sym.next[r];
            if (sym.next[r] >= 0) sym.prev[sym.next[r]] = l;
            sym.end[r] = sym.start[r];
            addPair(text, sym, sym.prev[l], l, agenda, revMerge);
            addPair(text, sym, l, sym.next[l], agenda, revMerge);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i != -1; i = sym.next[i]) resegment(text.substring(sym.start[i], sym.end[i]), revMerge, out);
        return out;
    }

    /** Symbols as a doubly linked list over char ranges of the text; a merged-away symbol is empty. */
    private static final class Symbols {
        final int[] start, end, prev, next;
        final boolean[] freeze;
        int n;

        Symbols(int cap) {
            start = new int[cap]; end = new int[cap]; prev = new int[cap]; next = new int[cap];
            freeze = new boolean[cap];
        }

        int len(int i) { return end[i] - start[i]; }
    }

    private Symbols split(String text) {
        Symbols s = new Symbols(text.length());
        for (int pos = 0; pos < text.length(); ) {
            int n = userDefined.match(text, pos);
            boolean frozen = n > 0;
            if (!frozen) n = Character.charCount(text.codePointAt(pos));
            int i = s.n++;
            s.start[i] = pos;
            s.end[i] = pos + n;
            s.freeze[i] = frozen;
            s.prev[i] = i - 1;
            pos += n;
            s.next[i] = pos < text.length() ? i + 1 : -1;
        }
        return s;
    }

    private void addPair(String text, Symbols s, int left, int right, PriorityQueue<Pair> agenda,
                         Map<String, String[]> revMerge) {
        if (left == -1 || right == -1 || s.freeze[left] || s.freeze[right]) return;
        int size = s.len(left) + s.len(right);
        if (size > vocab.maxPieceChars()) return;
        String piece = text.substring(s.start[left], s.end[right]);
        int id = vocab.mergeableId(piece);
        if (id < 0) return;
        agenda.add(new Pair(left, right, vocab.score(id), size));
        if (vocab.type(id) == SentencePieceModel.UNUSED) {
            revMerge.put(piece, new String[] {text.substring(s.start[left], s.end[left]), text.substring(s.start[right], s.end[right])});
        }
    }

    private void resegment(String w, Map<String, String[]> revMerge, List<String> out) {
        int id = vocab.pieceToId(w);
        String[] parts = vocab.type(id) == SentencePieceModel.UNUSED ? revMerge.get(w) : null;
        if (parts == null) {
            out.add(w);
            return;
        }
        resegment(parts[0], revMerge, out);
        resegment(parts[1], revMerge, out);
    }
}
