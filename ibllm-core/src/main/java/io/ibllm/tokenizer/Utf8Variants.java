package io.ibllm.tokenizer;

/**
 * Strict UTF-8 decoding plus ftfy's "utf-8-variants": Java's modified-UTF-8 NUL (C0 80) and
 * CESU-8 surrogate pairs (six bytes ED Ax xx ED Bx xx) decode to the characters they meant.
 */
final class Utf8Variants {
    private Utf8Variants() {}

    /** The decoded text, or null where Python's decoder would raise UnicodeDecodeError. */
    static String decode(byte[] b, boolean variants) {
        StringBuilder sb = new StringBuilder(b.length);
        int i = 0;
        while (i < b.length) {
            int lead = b[i] & 0xFF;
            if (variants && lead == 0xC0 && i + 1 < b.length && (b[i + 1] & 0xFF) == 0x80) {
                sb.append('\0');
                i += 2;
            } else if (variants && lead == 0xED && isCesuPair(b, i)) {
                int cp = 0x10000 + ((b[i + 1] & 0x0F) << 16) + ((b[i + 2] & 0x3F) << 10) + ((b[i + 4] & 0x0F) << 6) + (b[i + 5] & 0x3F);
                sb.appendCodePoint(cp);
                i += 6;
            } else {
                int n = Utf8.sequenceLength(b[i]);
                int cp = i + n <= b.length ? Utf8.decode(b, i, n) : -1;
                if (cp < 0) return null;
                sb.appendCodePoint(cp);
                i += n;
            }
        }
        return sb.toString();
    }

    private static boolean isCesuPair(byte[] b, int i) {
        if (i + 6 > b.length) return false;
        return in(b[i + 1], 0xA0, 0xAF) && in(b[i + 2], 0x80, 0xBF) && (b[i + 3] & 0xFF) == 0xED
                && in(b[i + 4], 0xB0, 0xBF) && in(b[i + 5], 0x80, 0xBF);
    }

    private static boolean in(byte x, int lo, int hi) {
        int v = x & 0xFF;
        return v >= lo && v <= hi;
    }
}
