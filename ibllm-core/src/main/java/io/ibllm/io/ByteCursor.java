package io.ibllm.io;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Sequential little-endian reads from a mapped file. Every read is checked against the file's
 * length first, so a size or count taken from the file can never read past its end.
 */
final class ByteCursor {
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Mapped file;
    private long pos;

    ByteCursor(Mapped file, long pos) {
        this.file = file;
        this.pos = pos;
    }

    long pos() { return pos; }

    long remaining() { return file.size() - pos; }

    /** Advances over n bytes, returning where they start; n is checked against the file. */
    long take(long n, String what) {
        file.slice(pos, n, what);
        long p = pos;
        pos += n;
        return p;
    }

    void seek(long p, String what) {
        file.slice(p, 0, what);
        pos = p;
    }

    int u8(String what) { return Byte.toUnsignedInt(file.segment().get(ValueLayout.JAVA_BYTE, take(1, what))); }

    short i16(String what) { return file.segment().get(I16, take(2, what)); }

    int i32(String what) { return file.segment().get(I32, take(4, what)); }

    long u32(String what) { return Integer.toUnsignedLong(i32(what)); }

    long i64(String what) { return file.segment().get(I64, take(8, what)); }

    float f32(String what) { return Float.intBitsToFloat(i32(what)); }

    double f64(String what) { return Double.longBitsToDouble(i64(what)); }

    /** n bytes decoded as UTF-8; n is checked against the file before anything is allocated. */
    String utf8(long n, String what) {
        if (n < 0 || n > remaining()) throw fail(what + " length " + Long.toUnsignedString(n) + " runs past the end of the file");
        long p = take(n, what);
        return new String(file.slice(p, n, what).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** A count that must fit in the rest of the file given each element needs at least minBytes. */
    long count(long n, long minBytes, String what) {
        if (n < 0 || (minBytes > 0 && n > remaining() / minBytes)) {
            throw fail(what + " " + Long.toUnsignedString(n) + " is impossible: only " + remaining() + " bytes remain");
        }
        return n;
    }

    FormatException fail(String what) {
        return new FormatException(file.path(), what);
    }
}
