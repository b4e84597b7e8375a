package io.ibllm.tokenizer;

import io.ibllm.io.FormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of SentencePiece's {@code ModelProto} (sentencepiece_model.proto) that encoding and
 * decoding need: the pieces with score and type, the trainer options that matter at run time and
 * the normaliser options. Field numbers and defaults are those of the .proto (proto2 defaults
 * apply to absent fields).
 */
public record SentencePieceModel(
        List<Piece> pieces, int modelType, boolean byteFallback, boolean treatWhitespaceAsSuffix,
        String unkPiece, String bosPiece, String eosPiece, String padPiece, String unkSurface,
        Normalizer normalizer) {

    /** Piece types of {@code ModelProto.SentencePiece.Type}. */
    public static final int NORMAL = 1, UNKNOWN = 2, CONTROL = 3, USER_DEFINED = 4, UNUSED = 5, BYTE = 6;
    /** Model types of {@code TrainerSpec.ModelType}. */
    public static final int UNIGRAM = 1, BPE = 2, WORD = 3, CHAR = 4;

    private static final long MAX_FILE_BYTES = 1L << 30;

    public record Piece(String piece, float score, int type) {}

    /** {@code NormalizerSpec}: the rule name, its compiled character map and the whitespace options. */
    public record Normalizer(String name, byte[] precompiledCharsmap, boolean addDummyPrefix,
                             boolean removeExtraWhitespaces, boolean escapeWhitespaces) {
        static Normalizer defaults() { return new Normalizer("", new byte[0], true, true, true); }
    }

    public static SentencePieceModel read(Path file) {
        byte[] data;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) throw new FormatException(file, "file of " + size + " bytes is too large for a SentencePiece model");
            data = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new FormatException(file, "cannot read SentencePiece model: " + e.getMessage(), e);
        }
        return parse(data, file);
    }

    public static SentencePieceModel parse(byte[] data, Path file) {
        ProtoReader r = new ProtoReader(data, 0, data.length, file);
        List<Piece> pieces = new ArrayList<>();
        Builder b = new Builder();
        while (r.next()) {
            switch (r.field()) {
                case 1 -> pieces.add(piece(r.message()));
                case 2 -> trainerSpec(r.message(), b);
                case 3 -> b.normalizer = normalizerSpec(r.message());
                default -> r.skip();
            }
        }
        if (pieces.isEmpty()) throw r.error("no pieces");
        return new SentencePieceModel(List.copyOf(pieces), b.modelType, b.byteFallback, b.wsSuffix,
                b.unk, b.bos, b.eos, b.pad, b.unkSurface, b.normalizer);
    }

    private static Piece piece(ProtoReader r) {
        String piece = null;
        float score = 0;
        int type = NORMAL;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> piece = r.string();
                case 2 -> score = r.float32();
                case 3 -> type = r.int32();
                default -> r.skip();
            }
        }
        if (piece == null || piece.isEmpty()) throw r.error("a piece is empty");
        if (type < NORMAL || type > BYTE) throw r.error("piece '" + piece + "' has unknown type " + type);
        return new Piece(piece, score, type);
    }

    private static final class Builder {
        int modelType = UNIGRAM;
        boolean byteFallback, wsSuffix;
        String unk = "<unk>", bos = "<s>", eos = "</s>", pad = "<pad>", unkSurface = " \u2047 ";
        Normalizer normalizer = Normalizer.defaults();
    }

    private static void trainerSpec(ProtoReader r, Builder b) {
        while (r.next()) {
            switch (r.field()) {
                case 3 -> b.modelType = r.int32();
                case 24 -> b.wsSuffix = r.bool();
                case 35 -> b.byteFallback = r.bool();
                case 44 -> b.unkSurface = r.string();
                case 45 -> b.unk = orDefault(r.string(), "<unk>");
                case 46 -> b.bos = orDefault(r.string(), "<s>");
                case 47 -> b.eos = orDefault(r.string(), "</s>");
                case 48 -> b.pad = orDefault(r.string(), "<pad>");
                default -> r.skip();
            }
        }
    }

    // SentencePiece falls back to the default piece name when the field is present but empty.
    private static String orDefault(String s, String d) { return s.isEmpty() ? d : s; }

    private static Normalizer normalizerSpec(ProtoReader r) {
        String name = "";
        byte[] charsmap = new byte[0];
        boolean dummy = true, removeWs = true, escapeWs = true;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> name = r.string();
                case 2 -> charsmap = r.bytes();
                case 3 -> dummy = r.bool();
                case 4 -> removeWs = r.bool();
                case 5 -> escapeWs = r.bool();
                default -> r.skip();
            }
        }
        return new Normalizer(name, charsmap, dummy, removeWs, escapeWs);
    }
}
