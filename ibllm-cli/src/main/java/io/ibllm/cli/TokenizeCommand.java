package io.ibllm.cli;

import io.ibllm.io.Json;
import io.ibllm.tokenizer.ClipTokenizer;
import io.ibllm.tokenizer.SentencePieceTokenizer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ibllm tokenize}: ids and pieces of texts under LLaMA's SentencePiece model or CLIP's BPE. */
@Command(name = "tokenize", description = "Print the token ids and pieces of each TEXT (LLaMA SentencePiece by default, CLIP BPE with --clip).")
public final class TokenizeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "TEXT")
    List<String> texts;

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "LLaMA tokenizer.model; with --clip, an optional gzipped CLIP merges file (default: the bundled one).")
    Path tokenizer;

    @Option(names = "--clip", description = "Use ImageBind's CLIP text tokenizer instead of SentencePiece.")
    boolean clip;

    @Option(names = "--bos", description = "Prepend BOS (SentencePiece) / start-of-text (CLIP).")
    boolean bos;

    @Option(names = "--eos", description = "Append EOS (SentencePiece) / end-of-text (CLIP).")
    boolean eos;

    @Option(names = "--json", description = "Print a JSON list of {\"text\", \"ids\", \"pieces\"}.")
    boolean json;

    @Override
    public Integer call() {
        List<Map<String, Object>> rows = new ArrayList<>();
        if (clip) {
            ClipTokenizer t = tokenizer == null ? ClipTokenizer.standard() : ClipTokenizer.load(tokenizer);
            for (String text : texts) {
                int[] ids = t.encode(text, bos, eos);
                rows.add(row(text, ids, Arrays.stream(ids).mapToObj(t::idToToken).toList()));
            }
        } else {
            if (tokenizer == null) throw new IllegalArgumentException("--tokenizer FILE (LLaMA's tokenizer.model) is required unless --clip is given");
            SentencePieceTokenizer t = SentencePieceTokenizer.load(tokenizer);
            for (String text : texts) {
                int[] ids = t.encode(text, bos, eos);
                // pieces as sentencepiece's encode(out_type=str) gives them: a run of unknown
                // characters is one piece with its own text, not "<unk>"
                List<String> pieces = new ArrayList<>();
                if (bos) pieces.add(t.idToPiece(ids[0]));
                t.encodeWithPieces(text).forEach(tok -> pieces.add(tok.piece()));
                if (eos) pieces.add(t.idToPiece(ids[ids.length - 1]));
                rows.add(row(text, ids, pieces));
            }
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (json) {
            out.println(Json.write(rows));
        } else {
            for (Map<String, Object> r : rows) print(out, r);
        }
        out.flush();
        return 0;
    }

    private static Map<String, Object> row(String text, int[] ids, List<String> pieces) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("text", text);
        r.put("ids", ids);
        r.put("pieces", pieces);
        return r;
    }

    @SuppressWarnings("unchecked")
    private static void print(PrintStream out, Map<String, Object> r) {
        out.println(Json.write(r.get("text")));
        int[] ids = (int[]) r.get("ids");
        out.println("  ids:    " + String.join(" ", Arrays.stream(ids).mapToObj(Integer::toString).toList()));
        out.println("  pieces: " + String.join(" ", ((List<String>) r.get("pieces")).stream().map(Json::write).toList()));
    }
}
