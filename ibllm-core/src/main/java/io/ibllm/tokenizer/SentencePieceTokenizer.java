package io.ibllm.tokenizer;

import static io.ibllm.tokenizer.SentencePieceModel.*;

import io.ibllm.io.FormatException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * LLaMA's tokenizer: a SentencePiece BPE model encoded and decoded exactly as sentencepiece
 * 0.1.x does ({@code llama/tokenizer.py}: {@code encode(s, bos, eos) = [bos] + sp.encode(s) + [eos]},
 * {@code decode = sp.decode}). Characters outside the vocabulary become their UTF-8 bytes
 * ({@code <0xNN>} pieces) when the model has byte fallback, else {@code <unk>}.
 */
public final class SentencePieceTokenizer {
    private final SentencePieceModel model;
    private final Map<String, Integer> mergeable = new HashMap<>(); // NORMAL, USER_DEFINED, UNUSED
    private final Map<String, Integer> reserved = new HashMap<>();  // UNKNOWN, CONTROL, BYTE
    private final int[] byteIds = new int[256];
    private final int unkId;
    private final int maxPieceChars;
    private final SpNormalizer normalizer;
    private final BpeMerger merger;

    public SentencePieceTokenizer(SentencePieceModel model, Path file) {
        this.model = model;
        if (model.modelType() != BPE) {
            throw new FormatException(file, "SentencePiece model type " + model.modelType() + " is not supported (only BPE = 2, as LLaMA's)");
        }
        List<String> userDefined = new ArrayList<>();
        int unk = -1, longest = 0;
        java.util.Arrays.fill(byteIds, -1);
        for (int i = 0; i < model.pieces().size(); i++) {
            Piece p = model.pieces().get(i);
            int t = p.type();
            boolean normal = t == NORMAL || t == USER_DEFINED || t == UNUSED;
            if ((normal ? mergeable : reserved).putIfAbsent(p.piece(), i) != null) {
                throw new FormatException(file, "piece '" + p.piece() + "' is defined twice");
            }
            longest = Math.max(longest, p.piece().length());
            if (t == USER_DEFINED) userDefined.add(p.piece());
            if (t == UNKNOWN) {
                if (unk >= 0) throw new FormatException(file, "two unknown pieces (" + unk + " and " + i + ")");
                unk = i;
            }
            if (t == BYTE) {
                int b = pieceToByte(p.piece());
                if (!model.byteFallback()) throw new FormatException(file, "byte piece " + p.piece() + " but byte_fallback is false");
                if (b < 0) throw new FormatException(file, "invalid byte piece '" + p.piece() + "'");
                byteIds[b] = i;
            }
        }
        if (unk < 0) throw new FormatException(file, "no unknown piece (<unk>)");
        if (model.byteFallback()) {
            for (int b = 0; b < 256; b++) {
                if (byteIds[b] < 0) throw new FormatException(file, "byte_fallback is on but piece <0x" + hex(b) + "> is missing");
            }
        }
        this.unkId = unk;
        this.maxPieceChars = longest;
        PrefixMatcher matcher = new PrefixMatcher(userDefined);
        try {
            this.normalizer = new SpNormalizer(model.normalizer(), matcher, model.treatWhitespaceAsSuffix());
        } catch (IllegalArgumentException e) {
            throw new FormatException(file, e.getMessage());
        }
        this.merger = new BpeMerger(this, matcher);
    }

    /** Reads a {@code tokenizer.model} file; any problem is a one-line {@link FormatException}. */
    public static SentencePieceTokenizer load(Path file) {
        return new SentencePieceTokenizer(SentencePieceModel.read(file), file);
    }

    /** A {@code tokenizer.model} held in memory (e.g. embedded in a GGUF); {@code source} names it in errors. */
    public static SentencePieceTokenizer parse(byte[] data, Path source) {
        return new SentencePieceTokenizer(SentencePieceModel.parse(data, source), source);
    }

    public SentencePieceModel model() { return model; }

    public int vocabSize() { return model.pieces().size(); }

    public int unkId() { return unkId; }

    public int bosId() { return controlId(model.bosPiece()); }

    public int eosId() { return controlId(model.eosPiece()); }

    /** −1 when the model has no pad piece, as LLaMA's. */
    public int padId() { return controlId(model.padPiece()); }

    private int controlId(String piece) {
        int id = pieceToId(piece);
        return type(id) == CONTROL ? id : -1;
    }

    public String idToPiece(int id) {
        checkId(id);
        return model.pieces().get(id).piece();
    }

    /** Reserved pieces first, then normal ones, else the unknown id (SentencePiece's PieceToId). */
    public int pieceToId(String piece) {
        Integer id = reserved.get(piece);
        if (id == null) id = mergeable.get(piece);
        return id == null ? unkId : id;
    }

    public boolean isByte(int id) { return type(id) == BYTE; }

    public boolean isControl(int id) { return type(id) == CONTROL; }

    public boolean isUnknown(int id) { return type(id) == UNKNOWN; }

    int type(int id) { return model.pieces().get(id).type(); }

    float score(int id) { return model.pieces().get(id).score(); }

    int mergeableId(String piece) { return mergeable.getOrDefault(piece, -1); }

    int maxPieceChars() { return maxPieceChars; }

    int byteId(int b) { return byteIds[b]; }

    /** {@code [bos] + encode(text) + [eos]} as the reference's {@code Tokenizer.encode(s, bos, eos)}. */
    public int[] encode(String text, boolean bos, boolean eos) {
        if ((bos && bosId() < 0) || (eos && eosId() < 0)) {
            throw new IllegalStateException("the tokenizer has no " + (bos && bosId() < 0 ? model.bosPiece() : model.eosPiece()) + " control piece");
        }
        return wrap(encode(text), bos ? bosId() : -1, eos ? eosId() : -1);
    }

    /** {@code ids} with {@code first} before and {@code last} after, each left out when −1. */
    static int[] wrap(int[] ids, int first, int last) {
        int start = first >= 0 ? 1 : 0;
        int[] out = new int[ids.length + start + (last >= 0 ? 1 : 0)];
        if (first >= 0) out[0] = first;
        System.arraycopy(ids, 0, out, start, ids.length);
        if (last >= 0) out[out.length - 1] = last;
        return out;
    }

    public int[] encode(String text) {
        return encodeWithPieces(text).stream().mapToInt(Token::id).toArray();
    }

    public List<String> encodeAsPieces(String text) {
        return encodeWithPieces(text).stream().map(Token::piece).toList();
    }

    /** One output token: its piece text and id. */
    public record Token(String piece, int id) {}

    /** SentencePiece's Encode: normalise, merge, then byte fallback or unknown-run merging. */
    public List<Token> encodeWithPieces(String text) {
        List<Token> out = new ArrayList<>();
        boolean prevUnk = false;
        for (String w : merger.merge(normalizer.normalize(text))) {
            int id = pieceToId(w);
            boolean unk = id == unkId;
            if (unk && model.byteFallback()) {
                for (byte b : w.getBytes(StandardCharsets.UTF_8)) out.add(new Token(idToPiece(byteIds[b & 0xFF]), byteIds[b & 0xFF]));
            } else if (unk && prevUnk) {
                // A run of unknown pieces becomes one unknown piece, so decoding can copy it.
                Token last = out.removeLast();
                out.add(new Token(last.piece() + w, id));
            } else {
                out.add(new Token(w, id));
            }
            prevUnk = unk;
        }
        return out;
    }

    /** {@code sp.decode(ids)}: the same text the streaming {@link TokenDecoder} produces. */
    public String decode(int... ids) {
        TokenDecoder d = new TokenDecoder(this);
        StringBuilder sb = new StringBuilder();
        for (int id : ids) sb.append(d.accept(id));
        return sb.append(d.finish()).toString();
    }

    String unkSurface() { return model.unkSurface(); }

    void checkId(int id) {
        if (id < 0 || id >= vocabSize()) throw new IllegalArgumentException("token id " + id + " is out of range [0, " + vocabSize() + ")");
    }

    /** "<0xNN>" (upper-case hex, as SentencePiece writes them) to the byte, else −1. */
    static int pieceToByte(String piece) {
        if (piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') return -1;
        String h = piece.substring(3, 5);
        if (!h.equals(h.toUpperCase()) || Character.digit(h.charAt(0), 16) < 0 || Character.digit(h.charAt(1), 16) < 0) return -1;
        return Integer.parseInt(h, 16);
    }

    private static String hex(int b) { return String.format("%02X", b); }
}
