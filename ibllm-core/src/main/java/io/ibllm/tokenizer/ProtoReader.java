package io.ibllm.tokenizer;

import io.ibllm.io.FormatException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The protobuf wire format, just enough to read a message field by field: varints, fixed32,
 * fixed64 and length-delimited fields. Every read is bounds-checked; a broken message is a
 * {@link FormatException} naming the file.
 */
final class ProtoReader {
    static final int VARINT = 0, FIXED64 = 1, LEN = 2, FIXED32 = 5;

    private final byte[] buf;
    private final Path file;
    private int pos;
    private final int end;
    private int tag;

    ProtoReader(byte[] buf, int start, int end, Path file) {
        this.buf = buf;
        this.pos = start;
        this.end = end;
        this.file = file;
    }

    /** Advances to the next field; false at the end of the message. */
    boolean next() {
        if (pos >= end) return false;
        long t = varint();
        if (t >>> 3 == 0 || t > Integer.MAX_VALUE) throw error("invalid field tag " + t);
        tag = (int) t;
        return true;
    }

    int field() { return tag >>> 3; }

    int wireType() { return tag & 7; }

    long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos >= end) throw error("truncated varint");
            byte b = buf[pos++];
            v |= (long) (b & 0x7F) << shift;
            if (b >= 0) return v;
        }
        throw error("varint longer than 10 bytes");
    }

    /** An int32/enum field: protobuf writes negative values as 10-byte varints. */
    int int32() { expect(VARINT); return (int) varint(); }

    boolean bool() { expect(VARINT); return varint() != 0; }

    float float32() {
        expect(FIXED32);
        need(4);
        int bits = (buf[pos] & 0xFF) | (buf[pos + 1] & 0xFF) << 8 | (buf[pos + 2] & 0xFF) << 16 | (buf[pos + 3] & 0xFF) << 24;
        pos += 4;
        return Float.intBitsToFloat(bits);
    }

    /** A length-delimited field as a reader over its bytes. */
    ProtoReader message() {
        int len = length();
        ProtoReader r = new ProtoReader(buf, pos, pos + len, file);
        pos += len;
        return r;
    }

    byte[] bytes() {
        int len = length();
        byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        return b;
    }

    String string() {
        byte[] b = bytes();
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw error("string field " + field() + " is not valid UTF-8");
        }
    }

    /** Skips the current field whatever its type. */
    void skip() {
        switch (wireType()) {
            case VARINT -> varint();
            case FIXED64 -> { need(8); pos += 8; }
            case LEN -> {
                int len = length(); // read first: 'pos += length()' would add to the old pos
                pos += len;
            }
            case FIXED32 -> { need(4); pos += 4; }
            default -> throw error("unsupported wire type " + wireType() + " in field " + field());
        }
    }

    private int length() {
        expect(LEN);
        long len = varint();
        if (len < 0 || len > end - pos) throw error("field " + field() + " length " + len + " runs past the end of its message");
        return (int) len;
    }

    private void need(int n) {
        if (end - pos < n) throw error("truncated field " + field());
    }

    private void expect(int wire) {
        if (wireType() != wire) throw error("field " + field() + " has wire type " + wireType() + ", expected " + wire);
    }

    FormatException error(String what) {
        return new FormatException(file, "not a valid SentencePiece model (" + what + ")");
    }
}
