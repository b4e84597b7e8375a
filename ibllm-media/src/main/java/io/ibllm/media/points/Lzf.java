package io.ibllm.media.points;

import io.ibllm.io.FormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/** LZF decompression (liblzf's format, used by PCL's binary_compressed .pcd), every reference bounds-checked. */
final class Lzf {
    /** LZF can expand at most ~(264 bytes per 2 input bytes); larger claims are forged. */
    private static final long MAX_RATIO = 140;

    private Lzf() {}

    static byte[] decompress(Path file, MemorySegment in, long outLength) {
        if (outLength > MAX_RATIO * Math.max(in.byteSize(), 1) || outLength > Integer.MAX_VALUE - 8) {
            throw new FormatException(file, "compressed PCD claims " + outLength + " bytes from " + in.byteSize());
        }
        byte[] out = new byte[(int) outLength];
        long ip = 0;
        int op = 0;
        while (ip < in.byteSize()) {
            int ctrl = Byte.toUnsignedInt(in.get(ValueLayout.JAVA_BYTE, ip++));
            if (ctrl < 32) { // literal run of ctrl + 1 bytes
                int len = ctrl + 1;
                if (ip + len > in.byteSize() || op + len > out.length) throw corrupt(file);
                MemorySegment.copy(in, ValueLayout.JAVA_BYTE, ip, out, op, len);
                ip += len;
                op += len;
            } else { // back reference: length (ctrl >> 5) + 2, distance from the low bits and the next byte
                int len = ctrl >> 5;
                if (len == 7) {
                    if (ip >= in.byteSize()) throw corrupt(file);
                    len += Byte.toUnsignedInt(in.get(ValueLayout.JAVA_BYTE, ip++));
                }
                if (ip >= in.byteSize()) throw corrupt(file);
                int ref = op - ((ctrl & 0x1f) << 8) - 1 - Byte.toUnsignedInt(in.get(ValueLayout.JAVA_BYTE, ip++));
                len += 2;
                if (ref < 0 || op + len > out.length) throw corrupt(file);
                for (int i = 0; i < len; i++) out[op++] = out[ref++];
            }
        }
        if (op != out.length) throw new FormatException(file, "compressed PCD data decompresses to " + op + " bytes, expected " + out.length);
        return out;
    }

    private static FormatException corrupt(Path file) {
        return new FormatException(file, "corrupt LZF data in compressed PCD");
    }
}
