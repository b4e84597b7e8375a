package io.ibllm.tokenizer;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ftfy's {@code fix_encoding} (ftfy 6.3.1, Apache-2.0): when text looks like mojibake
 * ({@link MojibakeHeuristic#isBad}), re-encode it with the single-byte codec it was probably
 * mis-decoded with and decode the bytes as UTF-8, repeating until nothing changes. Byte-level
 * steps work on ISO-8859-1 strings so Java regexes can match bytes.
 */
final class MojibakeFixer {
    private MojibakeFixer() {}

    /** A single-byte codec: 256 decoded chars and the reverse map, "sloppy" as ftfy's codecs. */
    private record Codec(String name, char[] decode, Map<Character, Byte> encode) {
        boolean canEncode(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (!(c < 0x80 && c != 0x1A) && !encode.containsKey(c)) return false;
            }
            return true;
        }

        byte[] encode(String s) {
            byte[] b = new byte[s.length()];
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                b[i] = c < 0x80 && c != 0x1A ? (byte) c : encode.get(c);
            }
            return b;
        }
    }

    private static final List<Codec> CODECS = List.of(
            codec("latin-1", "ISO-8859-1", false), codec("sloppy-windows-1252", "windows-1252", true),
            codec("sloppy-windows-1251", "windows-1251", true), codec("sloppy-windows-1250", "windows-1250", true),
            codec("sloppy-windows-1253", "windows-1253", true), codec("sloppy-windows-1254", "windows-1254", true),
            codec("sloppy-windows-1257", "windows-1257", true), codec("iso-8859-2", "ISO-8859-2", false),
            codec("macroman", "x-MacRoman", false), codec("cp437", "IBM437", false));
    private static final Codec SLOPPY_1252 = CODECS.get(1);

    private static Codec codec(String name, String charset, boolean sloppy) {
        Charset cs = Charset.forName(charset);
        char[] table = new char[256];
        for (int b = 0; b < 256; b++) {
            String s = new String(new byte[] {(byte) b}, cs);
            // sloppy codecs fill the holes of the code page with the Latin-1 character
            table[b] = s.length() == 1 && s.charAt(0) != '\uFFFD' ? s.charAt(0) : (char) b;
        }
        if (sloppy) table[0x1A] = '\uFFFD';
        Map<Character, Byte> enc = new HashMap<>();
        for (int b = 0x80; b < 256; b++) enc.putIfAbsent(table[b], (byte) b);
        enc.putIfAbsent(table[0x1A], (byte) 0x1A);
        return new Codec(name, table, enc);
    }

    private static final Pattern ALTERED_UTF8 = Pattern.compile(
            "[\\xc2\\xc3\\xc5\\xce\\xd0\\xd9][ ]|[\\xe2\\xe3][ ][\\x80-\\x84\\x86-\\x9f\\xa1-\\xbf]"
                    + "|[\\xe0-\\xe3][\\x80-\\x84\\x86-\\x9f\\xa1-\\xbf][ ]|[\\xf0][ ][\\x80-\\xbf][\\x80-\\xbf]"
                    + "|[\\xf0][\\x80-\\xbf][ ][\\x80-\\xbf]|[\\xf0][\\x80-\\xbf][\\x80-\\xbf][ ]");
    private static final Pattern A_GRAVE_WORD = Pattern.compile("\\xc3 (?! |quele|quela|quilo|s )");
    private static final Pattern LOSSY_UTF8 = Pattern.compile(
            "[\\xc2-\\xdf][\\x1a]|[\\xc2-\\xc3][?]|\\xed[\\xa0-\\xaf][\\x1a?]\\xed[\\xb0-\\xbf][\\x1a?\\x80-\\xbf]"
                    + "|\\xed[\\xa0-\\xaf][\\x1a?\\x80-\\xbf]\\xed[\\xb0-\\xbf][\\x1a?]|[\\xe0-\\xef][\\x1a?][\\x1a\\x80-\\xbf]"
                    + "|[\\xe0-\\xef][\\x1a\\x80-\\xbf][\\x1a?]|[\\xf0-\\xf4][\\x1a?][\\x1a\\x80-\\xbf][\\x1a\\x80-\\xbf]"
                    + "|[\\xf0-\\xf4][\\x1a\\x80-\\xbf][\\x1a?][\\x1a\\x80-\\xbf]|[\\xf0-\\xf4][\\x1a\\x80-\\xbf][\\x1a\\x80-\\xbf][\\x1a?]|\\x1a");
    static final Pattern C1_CONTROL = Pattern.compile("[\\x80-\\x9f]");

    /** ftfy.fix_encoding: one-step fixes until the text stops changing. */
    static String fixEncoding(String text) {
        for (int guard = 0; guard < 100; guard++) {
            String next = fixOneStep(text);
            if (next.equals(text)) return text;
            text = next;
        }
        return text;
    }

    private static String fixOneStep(String text) {
        if (text.isEmpty() || Ftfy.isAscii(text) || !MojibakeHeuristic.isBad(text)) return text;
        List<String> possible = new ArrayList<>();
        for (Codec c : CODECS) {
            if (!c.canEncode(text)) continue;
            possible.add(c.name());
            String fixed = transcode(c, c.encode(text));
            if (fixed != null) return fixed;
        }
        if (MojibakeHeuristic.UTF8_DETECTOR.matcher(text).find()) {
            String fixed = decodeInconsistentUtf8(text);
            if (!fixed.equals(text)) return fixed;
        }
        // ftfy looks for "windows-1252" here, which is never in its list (it holds the sloppy name),
        // so Latin-1 text is always tried as strict Windows-1252.
        if (possible.contains("latin-1")) {
            String fixed = strictDecode(text.getBytes(StandardCharsets.ISO_8859_1), Charset.forName("windows-1252"));
            if (fixed != null && !fixed.equals(text)) return fixed;
        }
        if (C1_CONTROL.matcher(text).find()) return fixC1Controls(text);
        return text;
    }

    private static String transcode(Codec c, byte[] bytes) {
        String b = new String(bytes, StandardCharsets.ISO_8859_1);
        if (!c.name().equals("macroman") && ALTERED_UTF8.matcher(b).find()) {
            b = A_GRAVE_WORD.matcher(b).replaceAll("\u00c3\u00a0 ");
            b = ALTERED_UTF8.matcher(b).replaceAll(m -> Matcher.quoteReplacement(m.group().replace(' ', '\u00a0')));
        }
        if (c.name().startsWith("sloppy")) b = LOSSY_UTF8.matcher(b).replaceAll("\u00ef\u00bf\u00bd");
        return Utf8Variants.decode(b.getBytes(StandardCharsets.ISO_8859_1), b.indexOf('\u00ed') >= 0 || b.indexOf('\u00c0') >= 0);
    }

    /** Fixes runs that look like UTF-8 mojibake inside otherwise fine text. */
    private static String decodeInconsistentUtf8(String text) {
        return MojibakeHeuristic.UTF8_DETECTOR.matcher(text).replaceAll(m -> {
            String sub = m.group();
            boolean fix = sub.length() < text.length() && MojibakeHeuristic.isBad(sub);
            return Matcher.quoteReplacement(fix ? fixEncoding(sub) : sub);
        });
    }

    /** C1 control characters read as the Windows-1252 characters they almost always were. */
    static String fixC1Controls(String text) {
        return C1_CONTROL.matcher(text).replaceAll(m -> Matcher.quoteReplacement(String.valueOf(SLOPPY_1252.decode()[m.group().charAt(0)])));
    }

    private static String strictDecode(byte[] b, Charset cs) {
        try {
            return cs.newDecoder().decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }
}
