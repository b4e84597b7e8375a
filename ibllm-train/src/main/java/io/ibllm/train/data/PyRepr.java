package io.ibllm.train.data;

/** Python's repr() of a str and of a 1-tuple of a str: the reference's prompt quirk. */
final class PyRepr {
    private PyRepr() {}

    static String tuple1(String s) { return "(" + str(s) + ",)"; }

    static String str(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder sb = new StringBuilder().append(q);
        s.codePoints().forEach(c -> {
            if (c == q || c == '\\') sb.append('\\').appendCodePoint(c);
            else if (c == '\n') sb.append("\\n");
            else if (c == '\r') sb.append("\\r");
            else if (c == '\t') sb.append("\\t");
            else if (c < 0x20 || c == 0x7f) sb.append(String.format("\\x%02x", c));
            else sb.appendCodePoint(c);
        });
        return sb.append(q).toString();
    }
}
