package io.ibllm.media.points;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes raw .npy files with any dtype/shape header (tests of odd and hostile arrays). */
public final class NpyFiles {
    private NpyFiles() {}

    public static void write(Path f, String descr, String shape, byte[] body) throws IOException {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int pad = (64 - (10 + dict.length() + 1) % 64) % 64;
        byte[] h = (dict + " ".repeat(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[10 + h.length + body.length];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length, (byte) (h.length >> 8)};
        System.arraycopy(magic, 0, out, 0, 10);
        System.arraycopy(h, 0, out, 10, h.length);
        System.arraycopy(body, 0, out, 10 + h.length, body.length);
        Files.write(f, out);
    }
}
