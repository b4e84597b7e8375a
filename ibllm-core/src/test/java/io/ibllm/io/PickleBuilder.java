package io.ibllm.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes pickle opcodes byte by byte, for hand-made (often hostile) test pickles. */
final class PickleBuilder {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleBuilder op(int... bytes) {
        for (int b : bytes) out.write(b);
        return this;
    }

    PickleBuilder proto(int v) { return op(0x80, v); }

    PickleBuilder global(String module, String name) {
        op('c');
        out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
        return this;
    }

    PickleBuilder str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op('X');
        le(b.length, 4);
        out.writeBytes(b);
        return this;
    }

    PickleBuilder shortStr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        op(0x8c, b.length);
        out.writeBytes(b);
        return this;
    }

    PickleBuilder integer(long v) {
        if (v >= 0 && v < 256) return op('K', (int) v);
        op(0x8a, 8);
        return le(v, 8);
    }

    PickleBuilder le(long v, int n) {
        for (int i = 0; i < n; i++) out.write((int) (v >>> (8 * i)));
        return this;
    }

    PickleBuilder mark() { return op('('); }
    PickleBuilder tuple() { return op('t'); }
    PickleBuilder reduce() { return op('R'); }
    PickleBuilder stop() { return op('.'); }

    byte[] bytes() { return out.toByteArray(); }
}
