package io.ibllm.tokenizer;

import io.ibllm.io.FormatException;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The CLIP byte-level BPE tokenizer of ImageBind's text tower ({@code SimpleTokenizer}, spec §6.3):
 * clean (ftfy, HTML unescape twice, whitespace collapse, lower case), split with CLIP's regex, map
 * UTF-8 bytes to printable characters, and merge by lowest merge rank. Vocabulary: 256 byte
 * characters, the same with {@code </w>}, 48 894 merges, then {@code <|startoftext|>} (49406) and
 * {@code <|endoftext|>} (49407).
 */
public final class ClipTokenizer {
    public static final int CONTEXT_LENGTH = 77;
    private static final int MERGES = 49152 - 256 - 2; // lines 1..48894 of the merges file
    private static final String RESOURCE = "bpe_simple_vocab_16e6.txt.gz";
    private static final Pattern SPLIT = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);
    private static volatile ClipTokenizer shared;

    private final String[] byteToChar = bytesToUnicode();
    private final Map<Character, Integer> charToByte = new HashMap<>();
    private final Map<String, Integer> encoder = new HashMap<>(1 << 17);
    private final String[] decoder;
    private final ClipBpe merger;
    private final Map<String, String[]> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<String, String[]> e) { return size() > 50_000; }
    };
    public final int sot, eot;

    private ClipTokenizer(List<String> lines, Path source) {
        if (lines.size() < MERGES + 1) throw new FormatException(source, "BPE merges file has " + (lines.size() - 1) + " merges, expected at least " + MERGES);
        List<String> vocab = new ArrayList<>();
        // the byte characters in CLIP's dict order: printable bytes first, then the remapped ones
        List<String> byteChars = new ArrayList<>();
        for (int b = 0; b < 256; b++) if (byteToChar[b].charAt(0) == b) byteChars.add(byteToChar[b]);
        for (int b = 0; b < 256; b++) if (byteToChar[b].charAt(0) != b) byteChars.add(byteToChar[b]);
        for (int b = 0; b < 256; b++) charToByte.put(byteToChar[b].charAt(0), b);
        vocab.addAll(byteChars);
        for (String c : byteChars) vocab.add(c + "</w>");
        for (int i = 1; i <= MERGES; i++) {
            String line = lines.get(i);
            int sp = line.indexOf(' ');
            if (sp <= 0 || sp == line.length() - 1 || line.indexOf(' ', sp + 1) >= 0) {
                throw new FormatException(source, "line " + (i + 1) + " of the BPE merges file is not two symbols");
            }
            vocab.add(line.substring(0, sp) + line.substring(sp + 1));
        }
        merger = new ClipBpe(lines.subList(1, MERGES + 1));
        vocab.add("<|startoftext|>");
        vocab.add("<|endoftext|>");
        for (int i = 0; i < vocab.size(); i++) encoder.put(vocab.get(i), i);
        decoder = vocab.toArray(String[]::new);
        sot = encoder.get("<|startoftext|>");
        eot = encoder.get("<|endoftext|>");
        cache.put("<|startoftext|>", new String[] {"<|startoftext|>"});
        cache.put("<|endoftext|>", new String[] {"<|endoftext|>"});
    }

    /** The merges file shipped with ibllm (the one in ImageBind's repository). */
    public static ClipTokenizer standard() {
        ClipTokenizer t = shared;
        if (t == null) {
            synchronized (ClipTokenizer.class) {
                if (shared == null) {
                    try (InputStream in = ClipTokenizer.class.getResourceAsStream(RESOURCE)) {
                        shared = new ClipTokenizer(gunzipLines(in, Path.of(RESOURCE)), Path.of(RESOURCE));
                    } catch (IOException e) {
                        throw new FormatException(Path.of(RESOURCE), "cannot read the bundled BPE merges: " + e.getMessage(), e);
                    }
                }
                t = shared;
            }
        }
        return t;
    }

    /** The header line and merges of the bundled file, as {@link #of} takes them (for embedding in a GGUF). */
    public static List<String> bundledMerges() {
        try (InputStream in = ClipTokenizer.class.getResourceAsStream(RESOURCE)) {
            return gunzipLines(in, Path.of(RESOURCE));
        } catch (IOException e) {
            throw new FormatException(Path.of(RESOURCE), "cannot read the bundled BPE merges: " + e.getMessage(), e);
        }
    }

    /** A tokenizer from the merges file's lines (header first), e.g. read back from a GGUF. */
    public static ClipTokenizer of(List<String> lines, Path source) {
        return new ClipTokenizer(lines, source);
    }

    /** A tokenizer from a gzipped merges file in CLIP's format. */
    public static ClipTokenizer load(Path mergesGz) {
        try (InputStream in = Files.newInputStream(mergesGz)) {
            return new ClipTokenizer(gunzipLines(in, mergesGz), mergesGz);
        } catch (IOException e) {
            throw new FormatException(mergesGz, "cannot read BPE merges (gzipped text expected): " + e.getMessage(), e);
        }
    }

    /** The header line and the merges CLIP uses; the rest of the file is never read. */
    private static List<String> gunzipLines(InputStream in, Path source) throws IOException {
        if (in == null) throw new FormatException(source, "missing");
        List<String> lines = new ArrayList<>(MERGES + 1);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
            for (String line; lines.size() <= MERGES && (line = r.readLine()) != null; ) {
                if (line.length() > 4096) throw new FormatException(source, "line " + (lines.size() + 1) + " of the BPE merges file is too long");
                lines.add(line);
            }
        }
        return lines;
    }

    /** basic_clean + whitespace_clean + lower(): the text the BPE sees. */
    public static String clean(String text) {
        String t = HtmlUnescape.unescape(HtmlUnescape.unescape(Ftfy.fixText(text)));
        // every Unicode whitespace run becomes one space, so stripping spaces strips all whitespace
        t = WHITESPACE.matcher(t).replaceAll(" ");
        int a = 0, b = t.length();
        while (a < b && t.charAt(a) == ' ') a++;
        while (b > a && t.charAt(b - 1) == ' ') b--;
        return PythonLower.lower(t.substring(a, b));
    }

    /** {@code SimpleTokenizer.encode}: BPE ids without start/end tokens. */
    public int[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        Matcher m = SPLIT.matcher(clean(text));
        while (m.find()) {
            StringBuilder token = new StringBuilder();
            for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) token.append(byteToChar[b & 0xFF]);
            for (String piece : bpe(token.toString())) ids.add(encoder.get(piece));
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    /** BPE ids with the start-of-text and/or end-of-text tokens around them. */
    public int[] encode(String text, boolean sot, boolean eot) {
        return SentencePieceTokenizer.wrap(encode(text), sot ? this.sot : -1, eot ? this.eot : -1);
    }

    /**
     * The 77-token row of ImageBind's {@code load_and_transform_text}: {@code [SOT] + ids + [EOT]}
     * cut to 77 and zero-padded. This copy of ImageBind cuts without putting EOT back, so a text
     * of more than 75 BPE tokens has no EOT.
     */
    public long[] tokens77(String text) {
        int[] ids = encode(text, true, true);
        long[] row = new long[CONTEXT_LENGTH];
        for (int i = 0; i < Math.min(ids.length, CONTEXT_LENGTH); i++) row[i] = ids[i];
        return row;
    }

    /** {@code SimpleTokenizer.decode}: bytes back to text, {@code </w>} as a space, invalid UTF-8 as U+FFFD. */
    public String decode(int... ids) {
        StringBuilder chars = new StringBuilder();
        for (int id : ids) chars.append(idToToken(id));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String s = chars.toString();
        for (int i = 0; i < s.length(); i++) {
            Integer b = charToByte.get(s.charAt(i));
            if (b == null) throw new IllegalArgumentException("CLIP token text has a character outside the byte alphabet");
            bytes.write(b);
        }
        return bytes.toString(StandardCharsets.UTF_8).replace("</w>", " ");
    }

    public int vocabSize() { return decoder.length; }

    ClipBpe bpe() { return merger; }

    /** The vocabulary entry of an id: byte characters, a {@code </w>} suffix ending a word. */
    public String idToToken(int id) {
        if (id < 0 || id >= decoder.length) throw new IllegalArgumentException("CLIP token id " + id + " is out of range [0, " + decoder.length + ")");
        return decoder[id];
    }

    /** The BPE pieces of one byte-character word (cached, as the reference does). */
    private String[] bpe(String token) {
        synchronized (cache) {
            String[] hit = cache.get(token);
            if (hit != null) return hit;
        }
        List<String> word = new ArrayList<>();
        token.codePoints().forEach(c -> word.add(Character.toString(c)));
        word.set(word.size() - 1, word.getLast() + "</w>");
        String[] out = merger.merge(word).toArray(String[]::new);
        synchronized (cache) { cache.put(token, out); }
        return out;
    }

    /** CLIP's reversible map from bytes to printable characters (printable Latin-1 map to themselves). */
    private static String[] bytesToUnicode() {
        String[] map = new String[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = Character.toString(printable ? b : 256 + n++);
        }
        return map;
    }
}
