package io.ibllm.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle virtual machine (protocols 0-5) that builds plain data and never executes code.
 * Every object a pickle could construct through a callable (GLOBAL/STACK_GLOBAL, REDUCE,
 * NEWOBJ, INST/OBJ, BUILD, persistent ids) is delegated to a {@link Policy}, which resolves
 * only an allow-list and throws for anything else. Containers become LinkedHashMap
 * (dict), ArrayList (list), unmodifiable List (tuple), LinkedHashSet (set); strings String,
 * integers Long or BigInteger, floats Double, bytes byte[].
 */
final class Unpickler {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble F64_BE = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final Object MARK = new Object();

    /** What the allow-list decides: every way a pickle can reach a Python callable. */
    interface Policy {
        /** GLOBAL/STACK_GLOBAL: a token for an allowed global, or a FormatException naming it. */
        Object global(String module, String name);

        /** REDUCE: callable(*args). */
        Object call(Object callable, List<Object> args);

        /** NEWOBJ/INST/OBJ: cls.__new__(cls, *args). */
        Object instantiate(Object cls, List<Object> args);

        /** BUILD: target.__setstate__(state); returns the object that replaces target. */
        Object build(Object target, Object state);

        /** BINPERSID/PERSID. */
        Object persistentLoad(Object pid);
    }

    private final Path file;
    private final MemorySegment data;
    private final Policy policy;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Set<String> globals = new LinkedHashSet<>();
    private long pos;

    Unpickler(Path file, MemorySegment data, Policy policy) {
        this.file = file;
        this.data = data;
        this.policy = policy;
    }

    /** Every "module.name" the pickle referenced, in first-use order. */
    Set<String> globals() { return Collections.unmodifiableSet(globals); }

    Object load() {
        while (true) {
            int op = u8();
            if (op == '.') return pop();                              // STOP: the top value, as Python does
            step(op);
        }
    }

    private void step(int op) {
        switch (op) {
            case 0x80 -> proto();
            case 0x95 -> skip(8);                                     // FRAME: length prefix only
            case '(' -> marks.add(stack.size());                      // MARK
            case '0' -> pop();                                        // POP
            case '1' -> popMark();                                    // POP_MARK
            case '2' -> push(peek());                                 // DUP
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'J' -> push((long) data.get(I32, take(4)));          // BININT
            case 'K' -> push((long) u8());                            // BININT1
            case 'M' -> push((long) Short.toUnsignedInt(data.get(U16, take(2)))); // BININT2
            case 0x8a -> push(longN(u8()));                           // LONG1
            case 0x8b -> push(longN(length(data.get(I32, take(4)) & 0xFFFFFFFFL))); // LONG4
            case 'G' -> push(data.get(F64_BE, take(8)));              // BINFLOAT
            case 'I' -> push(textInt(line()));                        // INT
            case 'L' -> push(textLong(line()));                       // LONG
            case 'F' -> push(textFloat(line()));                      // FLOAT
            case 'X' -> push(utf8(data.get(I32, take(4)) & 0xFFFFFFFFL)); // BINUNICODE
            case 0x8c -> push(utf8(u8()));                            // SHORT_BINUNICODE
            case 0x8d -> push(utf8(data.get(I64, take(8))));          // BINUNICODE8
            case 'V' -> push(line());                                 // UNICODE (raw, ASCII subset)
            case 'T' -> push(latin1(data.get(I32, take(4)) & 0xFFFFFFFFL)); // BINSTRING
            case 'U' -> push(latin1(u8()));                           // SHORT_BINSTRING
            case 'S' -> push(quoted(line()));                         // STRING
            case 'B' -> push(bytes(data.get(I32, take(4)) & 0xFFFFFFFFL)); // BINBYTES
            case 'C' -> push(bytes(u8()));                            // SHORT_BINBYTES
            case 0x8e, 0x96 -> push(bytes(data.get(I64, take(8))));   // BINBYTES8, BYTEARRAY8
            case ']' -> push(new ArrayList<>());                      // EMPTY_LIST
            case '}' -> push(new LinkedHashMap<>());                  // EMPTY_DICT
            case ')' -> push(List.of());                              // EMPTY_TUPLE
            case 0x8f -> push(new LinkedHashSet<>());                 // EMPTY_SET
            case 0x85 -> push(tuple(popN(1)));                        // TUPLE1
            case 0x86 -> push(tuple(popN(2)));                        // TUPLE2
            case 0x87 -> push(tuple(popN(3)));                        // TUPLE3
            case 't' -> push(tuple(popMark()));                       // TUPLE
            case 'l' -> push(new ArrayList<>(popMark()));             // LIST
            case 'd' -> push(dict(new LinkedHashMap<>(), popMark())); // DICT
            case 0x91 -> push(new LinkedHashSet<>(hashable(popMark()))); // FROZENSET
            case 'a' -> append(Collections.singletonList(pop()));      // APPEND
            case 'e' -> append(popMark());                            // APPENDS
            case 's' -> setItems(popN(2));                            // SETITEM
            case 'u' -> setItems(popMark());                          // SETITEMS
            case 0x90 -> addItems(popMark());                         // ADDITEMS
            case 'p' -> memo.put(textIndex(line()), peek());          // PUT
            case 'q' -> memo.put((long) u8(), peek());                // BINPUT
            case 'r' -> memo.put(data.get(I32, take(4)) & 0xFFFFFFFFL, peek()); // LONG_BINPUT
            case 0x94 -> memo.put((long) memo.size(), peek());        // MEMOIZE
            case 'g' -> push(memoGet(textIndex(line())));             // GET
            case 'h' -> push(memoGet(u8()));                          // BINGET
            case 'j' -> push(memoGet(data.get(I32, take(4)) & 0xFFFFFFFFL)); // LONG_BINGET
            default -> object(op);
        }
    }

    /** The opcodes that reach callables: each goes through the policy. */
    private void object(int op) {
        switch (op) {
            case 'c' -> push(global(line(), line()));                 // GLOBAL
            case 0x93 -> {                                            // STACK_GLOBAL
                Object name = pop(), module = pop();
                if (!(module instanceof String m) || !(name instanceof String n)) throw bad("STACK_GLOBAL on non-strings");
                push(global(m, n));
            }
            case 'R' -> {                                             // REDUCE
                List<Object> args = args(pop(), "REDUCE");
                push(policy.call(pop(), args));
            }
            case 0x81 -> {                                            // NEWOBJ
                List<Object> args = args(pop(), "NEWOBJ");
                push(policy.instantiate(pop(), args));
            }
            case 0x92 -> {                                            // NEWOBJ_EX
                Object kwargs = pop();
                List<Object> args = args(pop(), "NEWOBJ_EX");
                if (!(kwargs instanceof Map<?, ?> kw) || !kw.isEmpty()) throw bad("NEWOBJ_EX with keyword arguments");
                push(policy.instantiate(pop(), args));
            }
            case 'i' -> {                                             // INST
                Object cls = global(line(), line());
                push(policy.instantiate(cls, popMark()));
            }
            case 'o' -> {                                             // OBJ
                List<Object> items = popMark();
                if (items.isEmpty()) throw bad("OBJ without a class");
                push(policy.instantiate(items.getFirst(), items.subList(1, items.size())));
            }
            case 'b' -> {                                             // BUILD
                Object state = pop();
                push(policy.build(pop(), state));
            }
            case 'Q' -> push(policy.persistentLoad(pop()));           // BINPERSID
            case 'P' -> push(policy.persistentLoad(line()));          // PERSID
            case 0x82, 0x83, 0x84 -> throw bad("extension-registry opcode (EXT) refused");
            case 0x97, 0x98 -> throw bad("out-of-band buffers (pickle protocol 5 buffers) are not supported");
            default -> throw bad(String.format("unknown pickle opcode 0x%02x", op));
        }
    }

    private Object global(String module, String name) {
        globals.add(module + "." + name);
        return policy.global(module, name);
    }

    private void proto() {
        int v = u8();
        if (v > 5) throw bad("pickle protocol " + v + " is newer than 5");
    }

    // ---- stack ----

    private void push(Object o) { stack.add(o); }

    private Object peek() {
        if (stack.isEmpty() || isMarkTop()) throw bad("stack underflow");
        return stack.getLast();
    }

    private Object pop() {
        Object o = peek();
        stack.removeLast();
        return o;
    }

    private boolean isMarkTop() {
        return !marks.isEmpty() && marks.getLast() == stack.size();
    }

    private List<Object> popN(int n) {
        int floor = marks.isEmpty() ? 0 : marks.getLast();
        if (stack.size() - floor < n) throw bad("stack underflow");
        List<Object> view = stack.subList(stack.size() - n, stack.size());
        List<Object> items = new ArrayList<>(view);
        view.clear();
        return items;
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) throw bad("no MARK on the stack");
        int m = marks.removeLast();
        List<Object> view = stack.subList(m, stack.size());
        List<Object> items = new ArrayList<>(view);
        view.clear();
        return items;
    }

    private Object memoGet(long key) {
        Object o = memo.get(key);
        if (o == null && !memo.containsKey(key)) throw bad("memo key " + key + " was never stored");
        return o;
    }

    // ---- containers ----

    private static List<Object> tuple(List<Object> items) {
        return Collections.unmodifiableList(items);
    }

    private List<Object> args(Object o, String op) {
        if (!(o instanceof List<?> l)) throw bad(op + " arguments are not a tuple");
        return Collections.unmodifiableList(new ArrayList<Object>(l));
    }

    @SuppressWarnings("unchecked")
    private void append(List<Object> items) {
        if (!(peek() instanceof List<?> l) || isImmutable(l)) throw bad("APPEND to a non-list");
        ((List<Object>) l).addAll(items);
    }

    @SuppressWarnings("unchecked")
    private void setItems(List<Object> kv) {
        if (!(peek() instanceof Map<?, ?> m)) throw bad("SETITEM on a non-dict");
        dict((Map<Object, Object>) m, kv);
    }

    @SuppressWarnings("unchecked")
    private void addItems(List<Object> items) {
        if (!(peek() instanceof Set<?> s)) throw bad("ADDITEMS on a non-set");
        ((Set<Object>) s).addAll(hashable(items));
    }

    private Map<Object, Object> dict(Map<Object, Object> m, List<Object> kv) {
        if (kv.size() % 2 != 0) throw bad("odd number of dict items");
        for (int i = 0; i < kv.size(); i += 2) m.put(key(kv.get(i)), kv.get(i + 1));
        return m;
    }

    private List<Object> hashable(List<Object> items) {
        for (Object o : items) key(o);
        return items;
    }

    /** Keys are scalars or flat tuples: containers as keys could hash themselves recursively. */
    private Object key(Object k) {
        if (isHashable(k)) return k;
        throw bad("unsupported dict/set key of type " + k.getClass().getSimpleName());
    }

    static boolean isHashable(Object k) {
        if (k == null || k instanceof String || k instanceof Number || k instanceof Boolean) return true;
        return k instanceof List<?> t && isImmutable(t) && t.stream().allMatch(e -> !(e instanceof Collection<?> || e instanceof Map<?, ?>));
    }

    private static boolean isImmutable(List<?> l) {
        return !(l instanceof ArrayList<?>);
    }

    // ---- scalars ----

    private long take(long n) {
        if (n < 0 || n > data.byteSize() - pos) throw bad("truncated pickle (needs " + n + " bytes at " + pos + ")");
        long p = pos;
        pos += n;
        return p;
    }

    private void skip(long n) { take(n); }

    private int u8() { return Byte.toUnsignedInt(data.get(ValueLayout.JAVA_BYTE, take(1))); }

    private long length(long n) {
        if (n < 0 || n > data.byteSize() - pos) throw bad("length " + n + " runs past the end of the pickle");
        return n;
    }

    private byte[] bytes(long n) {
        long p = take(length(n));
        return data.asSlice(p, n).toArray(ValueLayout.JAVA_BYTE);
    }

    private String utf8(long n) { return new String(bytes(n), StandardCharsets.UTF_8); }

    private String latin1(long n) { return new String(bytes(n), StandardCharsets.ISO_8859_1); }

    /** LONG1/LONG4: little-endian two's complement of n bytes. */
    private Object longN(long n) {
        byte[] le = bytes(n);
        if (le.length == 0) return 0L;
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) be[i] = le[le.length - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private String line() {
        long start = pos;
        long end = start;
        long limit = Math.min(data.byteSize(), start + 4096);
        while (end < limit && data.get(ValueLayout.JAVA_BYTE, end) != '\n') end++;
        if (end >= limit) throw bad("unterminated text line in pickle at " + start);
        pos = end + 1;
        return new String(data.asSlice(start, end - start).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    private Object textInt(String s) {
        if (s.equals("00")) return Boolean.FALSE;
        if (s.equals("01")) return Boolean.TRUE;
        return textLong(s);
    }

    private Object textLong(String s) {
        String t = s.endsWith("L") ? s.substring(0, s.length() - 1) : s;
        try {
            BigInteger v = new BigInteger(t);
            return v.bitLength() < 64 ? (Object) v.longValue() : v;
        } catch (NumberFormatException e) {
            throw bad("bad integer literal '" + s + "'");
        }
    }

    private double textFloat(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw bad("bad float literal '" + s + "'");
        }
    }

    private long textIndex(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw bad("bad memo index '" + s + "'");
        }
    }

    private String quoted(String s) {
        if (s.length() < 2 || s.charAt(0) != s.charAt(s.length() - 1) || (s.charAt(0) != '\'' && s.charAt(0) != '"')) {
            throw bad("bad STRING literal");
        }
        return s.substring(1, s.length() - 1);
    }

    private FormatException bad(String what) {
        return new FormatException(file, "data.pkl: " + what);
    }
}
