package io.ibllm.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code html.unescape} (the CLIP cleaner calls it twice) and ftfy's narrower
 * {@code unescape_html}. Named references come from the HTML5 table (resource
 * html5_entities.tsv); numeric ones follow the HTML5 rules Python implements (C1 numbers read as
 * Windows-1252, surrogates and out-of-range numbers as U+FFFD, noncharacters dropped).
 */
final class HtmlUnescape {
    private HtmlUnescape() {}

    static final Map<String, String> HTML5 = load();
    private static final Pattern CHARREF = Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");
    private static final Pattern FTFY_ENTITY = Pattern.compile("&#?[0-9A-Za-z]{1,24};");
    /** Built on first use: most texts have no entities. */
    private static final class FtfyTable {
        static final Map<String, String> ENTITIES = ftfyEntities();
    }
    private static final Charset CP1252 = Charset.forName("windows-1252");

    private static Map<String, String> load() {
        Map<String, String> m = new HashMap<>();
        try (InputStream in = HtmlUnescape.class.getResourceAsStream("html5_entities.tsv");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#") || line.isEmpty()) continue;
                String[] f = line.split("\t");
                StringBuilder v = new StringBuilder();
                for (String h : f[1].split(" ")) v.appendCodePoint(Integer.parseInt(h, 16));
                m.put(f[0], v.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    /** Python's html.unescape. */
    static String unescape(String s) {
        if (s.indexOf('&') < 0) return s;
        return CHARREF.matcher(s).replaceAll(m -> Matcher.quoteReplacement(reference(m.group(1))));
    }

    private static String reference(String s) {
        if (s.charAt(0) == '#') return numeric(s);
        String v = HTML5.get(s);
        if (v != null) return v;
        // the longest name that is a prefix (legacy references without ';', e.g. "&ampx")
        for (int x = s.length() - 1; x > 1; x--) {
            v = HTML5.get(s.substring(0, x));
            if (v != null) return v + s.substring(x);
        }
        return "&" + s;
    }

    private static String numeric(String s) {
        boolean hex = s.charAt(1) == 'x' || s.charAt(1) == 'X';
        String digits = s.substring(hex ? 2 : 1);
        if (digits.endsWith(";")) digits = digits.substring(0, digits.length() - 1);
        digits = digits.replaceFirst("^0+(?=.)", "");
        long num = digits.length() > 9 ? Long.MAX_VALUE : Long.parseLong(digits, hex ? 16 : 10);
        if (num == 0) return "\uFFFD";
        if (num == 0x0D) return "\r";
        if (num >= 0x80 && num <= 0x9F) {
            String c = new String(new byte[] {(byte) num}, CP1252);
            return c.equals("\uFFFD") ? String.valueOf((char) num) : c;
        }
        if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) return "\uFFFD";
        if ((num >= 1 && num <= 8) || num == 0x0B || (num >= 0x0E && num <= 0x1F) || (num >= 0x7F && num <= 0x9F)
                || (num >= 0xFDD0 && num <= 0xFDEF) || (num & 0xFFFE) == 0xFFFE) return "";
        return Character.toString((int) num);
    }

    /** ftfy's entity table: HTML5 names with ';', plus all-caps forms of lower-case names Python does not know. */
    private static Map<String, String> ftfyEntities() {
        Map<String, String> m = new HashMap<>();
        for (var e : HTML5.entrySet()) {
            String name = e.getKey();
            if (!name.endsWith(";")) continue;
            m.put("&" + name, e.getValue());
            if (name.equals(name.toLowerCase(java.util.Locale.ROOT))) {
                String upper = "&" + name.toUpperCase(java.util.Locale.ROOT);
                if (unescape(upper).equals(upper)) m.put(upper, e.getValue().toUpperCase(java.util.Locale.ROOT));
            }
        }
        return m;
    }

    /** ftfy.fixes.unescape_html: only well-formed references ending in ';'. */
    static String ftfyUnescape(String text) {
        if (text.indexOf('&') < 0) return text;
        return FTFY_ENTITY.matcher(text).replaceAll(m -> {
            String t = m.group();
            String v = FtfyTable.ENTITIES.get(t);
            if (v == null && t.startsWith("&#")) {
                String u = unescape(t);
                v = u.contains(";") ? t : u;
            }
            return Matcher.quoteReplacement(v == null ? t : v);
        });
    }
}
