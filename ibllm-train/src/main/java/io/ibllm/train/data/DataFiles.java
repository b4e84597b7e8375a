package io.ibllm.train.data;

import io.ibllm.io.FormatException;
import io.ibllm.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads training data files into {@link Example}s. Stage 1: tab-separated meta files (columns
 * url, caption) and JSONL ({"image", "caption"}); stage 2: Alpaca JSON (instruction, input,
 * output) and LLaVA JSON (image + conversations, first exchange). Relative image paths resolve
 * against the data file's folder. Nothing is downloaded.
 */
public final class DataFiles {
    private DataFiles() {}

    public static List<Example> read(Path file, boolean referenceQuirks) {
        String name = file.getFileName().toString().toLowerCase();
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new FormatException(file, "cannot read: " + e.getMessage());
        }
        if (name.endsWith(".jsonl")) return jsonl(file, text);
        if (name.endsWith(".json")) return json(file, text, referenceQuirks);
        return tsv(file, text);
    }

    private static List<Example> tsv(Path file, String text) {
        List<Example> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        if (lines.length == 0) throw new FormatException(file, "empty meta file");
        String[] header = lines[0].strip().split("\t");
        int url = indexOf(header, "url"), cap = indexOf(header, "caption");
        if (url < 0 || cap < 0) throw new FormatException(file, "expected tab-separated columns 'url' and 'caption'");
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            String[] cols = lines[i].replace("\r", "").split("\t", -1);
            if (cols.length <= Math.max(url, cap)) throw new FormatException(file, "line " + (i + 1) + " has too few columns");
            out.add(caption(file, cols[url], cols[cap]));
        }
        return out;
    }

    private static int indexOf(String[] header, String col) {
        for (int i = 0; i < header.length; i++) if (header[i].strip().equals(col)) return i;
        return -1;
    }

    private static Example caption(Path file, String image, String caption) {
        return new Example(TrainPrompts.CAPTION_INSTRUCTION, null, caption, resolve(file, image), false);
    }

    private static Path resolve(Path file, String image) {
        Path p = Path.of(image);
        if (p.isAbsolute()) return p;
        Path dir = file.toAbsolutePath().getParent();
        return dir == null ? p : dir.resolve(p).normalize();
    }

    private static List<Example> jsonl(Path file, String text) {
        List<Example> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            if (!(Json.parse(lines[i], file) instanceof Map<?, ?> m)) throw new FormatException(file, "line " + (i + 1) + " is not an object");
            out.add(caption(file, field(file, m, "image", i), field(file, m, "caption", i)));
        }
        return out;
    }

    private static List<Example> json(Path file, String text, boolean quirks) {
        if (!(Json.parse(text, file) instanceof List<?> items)) throw new FormatException(file, "expected a JSON list of items");
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Map<?, ?> m)) throw new FormatException(file, "item " + i + " is not an object");
            out.add(m.containsKey("conversations") ? llava(file, m, i, quirks) : alpaca(file, m, i, quirks));
        }
        return out;
    }

    private static Example llava(Path file, Map<?, ?> m, int i, boolean quirks) {
        if (!(m.get("conversations") instanceof List<?> conv) || conv.size() < 2
                || !(conv.get(0) instanceof Map<?, ?> q) || !(conv.get(1) instanceof Map<?, ?> a)) {
            throw new FormatException(file, "item " + i + ": 'conversations' needs a question and an answer");
        }
        String instruction = TrainPrompts.llavaInstruction(field(file, q, "value", i), quirks);
        Path image = m.get("image") instanceof String s ? resolve(file, s) : null;
        return new Example(instruction, null, field(file, a, "value", i), image, false);
    }

    private static Example alpaca(Path file, Map<?, ?> m, int i, boolean quirks) {
        String instruction = TrainPrompts.alpacaInstruction(field(file, m, "instruction", i), quirks);
        String input = m.get("input") instanceof String s ? s : "";
        return new Example(instruction, input, field(file, m, "output", i), null, quirks);
    }

    private static String field(Path file, Map<?, ?> m, String key, int i) {
        if (!(m.get(key) instanceof String s)) throw new FormatException(file, "item " + i + ": missing string field '" + key + "'");
        return s;
    }
}
