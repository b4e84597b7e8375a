package io.ibllm.tokenizer;

import java.text.Normalizer;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ftfy.fix_text} with its default configuration (ftfy 6.3.1, Apache-2.0, by Robyn Speer),
 * which CLIP's text cleaner applies first: per line, HTML entities (unless the line contains '<'),
 * mojibake, C1 controls, Latin ligatures, full-width characters, curly quotes, line breaks,
 * surrogates, terminal escapes and invisible control characters are fixed, then NFC, repeated
 * until the text stops changing.
 */
public final class Ftfy {
    private Ftfy() {}

    private static final Map<Character, String> LIGATURES = Map.ofEntries(
            Map.entry('Ĳ', "IJ"), Map.entry('ĳ', "ij"), Map.entry('ŉ', "ʼn"), Map.entry('Ǳ', "DZ"),
            Map.entry('ǲ', "Dz"), Map.entry('ǳ', "dz"), Map.entry('Ǆ', "DŽ"), Map.entry('ǅ', "Dž"),
            Map.entry('ǆ', "dž"), Map.entry('Ǉ', "LJ"), Map.entry('ǈ', "Lj"), Map.entry('ǉ', "lj"),
            Map.entry('Ǌ', "NJ"), Map.entry('ǋ', "Nj"), Map.entry('ǌ', "nj"), Map.entry('ﬀ', "ff"),
            Map.entry('ﬁ', "fi"), Map.entry('ﬂ', "fl"), Map.entry('ﬃ', "ffi"), Map.entry('ﬄ', "ffl"),
            Map.entry('ﬅ', "ſt"), Map.entry('ﬆ', "st"));
    private static final Pattern ANSI_ESCAPE = Pattern.compile("\\x1b\\[((?:\\d|;)*)([a-zA-Z])", Pattern.UNICODE_CHARACTER_CLASS);

    public static String fixText(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean unescapeHtml = true;
        for (int pos = 0; pos < text.length(); ) {
            int brk = text.indexOf('\n', pos) + 1;
            if (brk == 0) brk = text.length();
            String segment = text.substring(pos, brk);
            // "auto": a literal '<' means real HTML, whose entities stay; ftfy keeps it off for later lines too
            if (segment.indexOf('<') >= 0) unescapeHtml = false;
            out.append(fixSegment(segment, unescapeHtml));
            pos = brk;
        }
        return out.toString();
    }

    private static String fixSegment(String text, boolean unescapeHtml) {
        for (int guard = 0; guard < 100; guard++) {
            String orig = text;
            if (unescapeHtml) text = HtmlUnescape.ftfyUnescape(text);
            if (!isAscii(text)) { // both are no-ops on ASCII; skipping them spares loading their tables
                text = MojibakeFixer.fixEncoding(text);
                text = MojibakeFixer.fixC1Controls(text);
            }
            text = map(text, LIGATURES);
            text = fixCharacterWidth(text);
            text = uncurlQuotes(text);
            text = fixLineBreaks(text);
            text = SpNormalizer.wellFormed(text); // fix_surrogates: Java pairs are already joined
            text = ANSI_ESCAPE.matcher(text).replaceAll("");
            text = removeControlChars(text);
            text = Normalizer.normalize(text, Normalizer.Form.NFC);
            if (text.equals(orig)) return text;
        }
        return text;
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) > 0x7F) return false;
        return true;
    }

    private static String map(String s, Map<Character, String> table) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            String r = table.get(s.charAt(i));
            if (r != null && b == null) b = new StringBuilder(s.substring(0, i));
            if (b != null) { if (r != null) b.append(r); else b.append(s.charAt(i)); }
        }
        return b == null ? s : b.toString();
    }

    /** Full-width forms (U+FF01–U+FFEF) and the ideographic space to their usual widths. */
    static String fixCharacterWidth(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u3000') b.append(' ');
            else if (c >= '\uFF01' && c < '\uFFF0') b.append(Normalizer.normalize(String.valueOf(c), Normalizer.Form.NFKC));
            else b.append(c);
        }
        return b.toString();
    }

    static String uncurlQuotes(String s) {
        return s.replaceAll("[\u201c-\u201f]", "\"").replaceAll("[\u02bc\u2018-\u201b]", "'");
    }

    static String fixLineBreaks(String s) {
        return s.replace("\r\n", "\n").replace('\r', '\n').replace('\u2028', '\n').replace('\u2029', '\n').replace('\u0085', '\n');
    }

    /** Removes control characters that have no visible effect (ftfy's CONTROL_CHARS). */
    static String removeControlChars(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F
                    || (c >= 0x206A && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
            if (!control) b.append(c);
        }
        return b.toString();
    }
}
