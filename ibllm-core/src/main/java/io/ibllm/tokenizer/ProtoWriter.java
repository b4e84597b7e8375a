package io.ibllm.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The writing twin of {@link ProtoReader}: protobuf wire format by hand, enough to build a
 * SentencePiece ModelProto (synthetic tokenizers for tests and benchmarks).
 */
public final class ProtoWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public ProtoWriter varint(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
        return this;
    }

    public ProtoWriter tag(int field, int wire) { return varint((long) field << 3 | wire); }

    public ProtoWriter uint(int field, long v) { return tag(field, 0).varint(v); }

    public ProtoWriter f32(int field, float v) {
        tag(field, 5);
        int b = Float.floatToIntBits(v);
        for (int i = 0; i < 4; i++) out.write(b >>> (8 * i));
        return this;
    }

    public ProtoWriter fixed64(int field, long v) {
        tag(field, 1);
        for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)));
        return this;
    }

    public ProtoWriter bytes(int field, byte[] b) {
        tag(field, 2).varint(b.length);
        out.writeBytes(b);
        return this;
    }

    public ProtoWriter str(int field, String s) { return bytes(field, s.getBytes(StandardCharsets.UTF_8)); }

    public ProtoWriter msg(int field, ProtoWriter m) { return bytes(field, m.toByteArray()); }

    public byte[] toByteArray() { return out.toByteArray(); }
}
