package io.ibllm.tokenizer;

import java.util.Locale;

/**
 * Python's {@code str.lower()}: full Unicode lower-casing whose only context rule is the final
 * sigma, decided as CPython does (a cased letter before, none after, skipping case-ignorables).
 * Java's own final-sigma test uses word boundaries and disagrees next to punctuation.
 */
final class PythonLower {
    private PythonLower() {}

    static String lower(String s) {
        if (s.indexOf('\u03A3') < 0) return s.toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (c == 0x3A3) b.append(finalSigma(s, i) ? '\u03C2' : '\u03C3');
            else b.append(Character.toString(c).toLowerCase(Locale.ROOT));
            i += Character.charCount(c);
        }
        return b.toString();
    }

    private static boolean finalSigma(String s, int i) {
        int j = i, c = 0;
        boolean found = false;
        while (j > 0) {
            c = s.codePointBefore(j);
            j -= Character.charCount(c);
            if (!caseIgnorable(c)) { found = true; break; }
        }
        if (!found || !cased(c)) return false;
        for (j = i + 1; j < s.length(); j += Character.charCount(c)) {
            c = s.codePointAt(j);
            if (!caseIgnorable(c)) return !cased(c);
        }
        return true;
    }

    private static boolean cased(int c) {
        return Character.isLowerCase(c) || Character.isUpperCase(c) || Character.isTitleCase(c);
    }

    /** Unicode Case_Ignorable: marks, format characters, modifiers and word-internal punctuation. */
    private static boolean caseIgnorable(int c) {
        return switch (Character.getType(c)) {
            case Character.NON_SPACING_MARK, Character.ENCLOSING_MARK, Character.FORMAT,
                 Character.MODIFIER_LETTER, Character.MODIFIER_SYMBOL -> true;
            default -> switch (c) {
                // Word_Break MidLetter, MidNumLet and Single_Quote
                case 0x27, 0x2E, 0x3A, 0xB7, 0x387, 0x55F, 0x5F4, 0x2018, 0x2019, 0x2024, 0x2027,
                     0xFE13, 0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A -> true;
                default -> false;
            };
        };
    }
}
