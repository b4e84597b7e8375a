package io.ibllm.tokenizer;

/** UTF-8 decoding with SentencePiece's rules (util.cc DecodeUTF8): no overlongs, no surrogates. */
final class Utf8 {
    private Utf8() {}

    /** Length announced by a lead byte; 1 for ASCII and for bytes that cannot start a sequence. */
    static int sequenceLength(byte lead) {
        int b = lead & 0xFF;
        if ((b & 0xE0) == 0xC0) return 2;
        if ((b & 0xF0) == 0xE0) return 3;
        if ((b & 0xF8) == 0xF0) return 4;
        return 1;
    }

    static boolean isTrail(byte b) { return (b & 0xC0) == 0x80; }

    static boolean trailBytes(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (!isTrail(b[i])) return false;
        return true;
    }

    /** The code point of the {@code n}-byte sequence at {@code pos}, or −1 if it is not valid UTF-8. */
    static int decode(byte[] b, int pos, int n) {
        int lead = b[pos] & 0xFF;
        if (n == 1) return lead < 0x80 ? lead : -1;
        if (!trailBytes(b, pos + 1, pos + n)) return -1;
        int cp = lead & (0x7F >> n);
        for (int i = 1; i < n; i++) cp = cp << 6 | (b[pos + i] & 0x3F);
        int min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
        boolean valid = cp >= min && (cp < 0xD800 || (cp >= 0xE000 && cp <= 0x10FFFF));
        return valid ? cp : -1;
    }
}
