package io.ibllm.media.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds RIFF/WAVE bytes chunk by chunk, including deliberately broken ones. */
public final class WavBuilder {
    private final ByteBuffer b = ByteBuffer.allocate(1 << 22).order(ByteOrder.LITTLE_ENDIAN);

    public WavBuilder() {
        b.put("RIFF".getBytes()).putInt(0).put("WAVE".getBytes());
    }

    public WavBuilder fmt(int tag, int channels, int rate, int bits) {
        return fmt(tag, channels, rate, bits, channels * (bits / 8));
    }

    public WavBuilder fmt(int tag, int channels, int rate, int bits, int blockAlign) {
        b.put("fmt ".getBytes()).putInt(16).putShort((short) tag).putShort((short) channels).putInt(rate)
                .putInt(rate * blockAlign).putShort((short) blockAlign).putShort((short) bits);
        return this;
    }

    /** WAVE_FORMAT_EXTENSIBLE with the given sub-format (1 PCM, 3 float). */
    public WavBuilder fmtExtensible(int subFormat, int channels, int rate, int bits) {
        int align = channels * bits / 8;
        b.put("fmt ".getBytes()).putInt(40).putShort((short) 0xFFFE).putShort((short) channels).putInt(rate)
                .putInt(rate * align).putShort((short) align).putShort((short) bits)
                .putShort((short) 22).putShort((short) bits).putInt(3)
                .putShort((short) subFormat).put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71});
        return this;
    }

    public WavBuilder chunk(String id, int declaredSize, byte[] body) {
        b.put(id.getBytes()).putInt(declaredSize).put(body);
        if ((body.length & 1) == 1) b.put((byte) 0);
        return this;
    }

    public WavBuilder data(byte[] body) {
        return chunk("data", body.length, body);
    }

    public static byte[] pcm16(short... v) {
        ByteBuffer x = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : v) x.putShort(s);
        return x.array();
    }

    public static byte[] float32(float... v) {
        ByteBuffer x = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float s : v) x.putFloat(s);
        return x.array();
    }

    public byte[] bytes() {
        int n = b.position();
        b.putInt(4, n - 8);
        byte[] out = new byte[n];
        b.get(0, out);
        return out;
    }
}
