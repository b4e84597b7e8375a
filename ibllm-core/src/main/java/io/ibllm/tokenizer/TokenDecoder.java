package io.ibllm.tokenizer;

import java.io.ByteArrayOutputStream;

/**
 * Streaming form of SentencePiece's decoder (sentencepiece_processor.cc, Decode) for generation:
 * {@link #accept} returns the text a new token completes, holding back byte-fallback bytes until
 * they form a whole UTF-8 character, so streamed text never splits a character. The
 * concatenation of every {@code accept} and the final {@link #finish} equals {@code sp.decode(ids)}:
 * control tokens vanish, {@code <unk>} reads " ⁇ ", U+2581 becomes a space, the first piece's
 * leading space (the dummy prefix) is dropped, and a structurally invalid byte becomes U+FFFD.
 */
public final class TokenDecoder {
    private static final String REPLACEMENT = "\uFFFD";
    private final SentencePieceTokenizer sp;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean textEmpty = true;     // nothing decoded yet
    private boolean expectBosSpace = true; // the dummy-prefix space may still come
    private boolean bosSpaceSeen;

    public TokenDecoder(SentencePieceTokenizer sp) {
        this.sp = sp;
    }

    /** The text completed by token {@code id} (possibly empty). */
    public String accept(int id) {
        sp.checkId(id);
        StringBuilder out = new StringBuilder();
        if (sp.isByte(id)) {
            pending.write(SentencePieceTokenizer.pieceToByte(sp.idToPiece(id)));
            drainBytes(out, false);
        } else {
            drainBytes(out, true);
            if (bosSpaceSeen || !textEmpty || !out.isEmpty()) expectBosSpace = false;
            out.append(piece(id));
        }
        if (!out.isEmpty()) textEmpty = false;
        return out.toString();
    }

    /** Text still held back (an unfinished UTF-8 sequence, decoded as SentencePiece would at the end). */
    public String finish() {
        StringBuilder out = new StringBuilder();
        drainBytes(out, true);
        if (!out.isEmpty()) textEmpty = false;
        return out.toString();
    }

    private String piece(int id) {
        bosSpaceSeen = false;
        if (sp.isControl(id)) return "";
        if (sp.isUnknown(id)) return sp.unkSurface();
        String piece = sp.idToPiece(id);
        var norm = sp.model().normalizer();
        if (expectBosSpace && (norm.addDummyPrefix() || norm.removeExtraWhitespaces())
                && piece.charAt(0) == SpNormalizer.SPACE_SYMBOL) {
            piece = piece.substring(1);
            // with whitespace removal every leading space goes, so the flag stays down
            bosSpaceSeen = !norm.removeExtraWhitespaces();
        }
        return piece.replace(SpNormalizer.SPACE_SYMBOL, ' ');
    }

    /**
     * Decodes whole characters from the pending bytes. Unless {@code endOfRun}, an unfinished
     * but still possibly valid sequence waits for more bytes.
     */
    private void drainBytes(StringBuilder out, boolean endOfRun) {
        byte[] b = pending.toByteArray();
        int pos = 0;
        while (pos < b.length) {
            int need = Utf8.sequenceLength(b[pos]);
            int avail = b.length - pos;
            if (!endOfRun && avail < need && Utf8.trailBytes(b, pos + 1, b.length)) break;
            int cp = avail >= need ? Utf8.decode(b, pos, need) : -1;
            if (cp < 0) {
                out.append(REPLACEMENT);
                pos++;
            } else {
                out.appendCodePoint(cp);
                pos += need;
            }
        }
        pending.reset();
        pending.write(b, pos, b.length - pos);
    }
}
