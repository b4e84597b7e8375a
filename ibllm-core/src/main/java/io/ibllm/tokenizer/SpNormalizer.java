package io.ibllm.tokenizer;

/**
 * SentencePiece's normaliser (normalizer.cc): user-defined symbols pass through untouched, the
 * compiled character map (if any) rewrites the rest, spaces become U+2581, a dummy prefix space
 * is added, and extra whitespace is optionally removed. LLaMA's model uses the identity rule with
 * the dummy prefix and no whitespace removal.
 */
final class SpNormalizer {
    static final char SPACE_SYMBOL = '\u2581';

    private final SentencePieceModel.Normalizer spec;
    private final CharsMap charsMap;
    private final PrefixMatcher userDefined;
    private final boolean whitespaceAsSuffix;

    SpNormalizer(SentencePieceModel.Normalizer spec, PrefixMatcher userDefined, boolean whitespaceAsSuffix) {
        this.spec = spec;
        this.charsMap = CharsMap.of(spec.precompiledCharsmap());
        this.userDefined = userDefined;
        this.whitespaceAsSuffix = whitespaceAsSuffix;
    }

    String normalize(String text) {
        String in = wellFormed(text);
        if (in.isEmpty()) return "";
        boolean removeWs = spec.removeExtraWhitespaces();
        int pos = 0;
        if (removeWs) {
            for (String[] p = new String[1]; pos < in.length(); ) {
                int n = prefix(in, pos, p);
                if (!p[0].equals(" ")) break;
                pos += n;
            }
            if (pos == in.length()) return "";
        }
        StringBuilder out = new StringBuilder(in.length() + 8);
        if (!whitespaceAsSuffix && spec.addDummyPrefix()) addSpace(out);
        boolean prevSpace = removeWs;
        String[] p = new String[1];
        while (pos < in.length()) {
            int n = prefix(in, pos, p);
            String piece = p[0];
            int skip = 0;
            while (prevSpace && skip < piece.length() && piece.charAt(skip) == ' ') skip++;
            if (skip < piece.length()) {
                for (int k = skip; k < piece.length(); k++) {
                    char c = piece.charAt(k);
                    if (c == ' ') addSpace(out); else out.append(c);
                }
                prevSpace = piece.endsWith(" ");
            }
            pos += n;
            if (!removeWs) prevSpace = false;
        }
        if (removeWs) {
            char space = spec.escapeWhitespaces() ? SPACE_SYMBOL : ' ';
            while (!out.isEmpty() && out.charAt(out.length() - 1) == space) out.setLength(out.length() - 1);
        }
        if (whitespaceAsSuffix && spec.addDummyPrefix()) addSpace(out);
        return out.toString();
    }

    private void addSpace(StringBuilder out) {
        out.append(spec.escapeWhitespaces() ? SPACE_SYMBOL : ' ');
    }

    /** Normalises one unit at {@code pos}: puts its output in {@code out[0]}, returns chars consumed. */
    private int prefix(String s, int pos, String[] out) {
        int n = userDefined.match(s, pos);
        if (n > 0) {
            out[0] = s.substring(pos, pos + n);
            return n;
        }
        if (charsMap != null) {
            CharsMap.Match m = charsMap.longestPrefix(s, pos);
            if (m != null) {
                out[0] = m.replacement();
                return m.consumed();
            }
        }
        n = Character.charCount(s.codePointAt(pos));
        out[0] = s.substring(pos, pos + n);
        return n;
    }

    /** Lone surrogates cannot be UTF-8; SentencePiece would see U+FFFD for such bytes. */
    static String wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                StringBuilder b = new StringBuilder(s.length());
                s.codePoints().forEach(c -> b.appendCodePoint(Character.isSurrogate((char) c) && c < 0x10000 ? 0xFFFD : c));
                return b.toString();
            }
        }
        return s;
    }
}
