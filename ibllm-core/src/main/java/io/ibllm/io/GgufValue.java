package io.ibllm.io;

import java.util.List;

/**
 * A typed GGUF metadata value. Integers of every width are held as Long (a UINT64 above
 * 2^63-1 wraps to a negative long), FLOAT32 as Float, FLOAT64 as Double, BOOL as Boolean,
 * STRING as String; an ARRAY holds a List of such plain values (or of GgufValue for arrays
 * of arrays) and its element type.
 */
public record GgufValue(Type type, Type elementType, Object value) {

    /** GGUF metadata value types with their on-disk ids and sizes (0 = variable). */
    public enum Type {
        UINT8(0, 1), INT8(1, 1), UINT16(2, 2), INT16(3, 2), UINT32(4, 4), INT32(5, 4), FLOAT32(6, 4), BOOL(7, 1),
        STRING(8, 0), ARRAY(9, 0), UINT64(10, 8), INT64(11, 8), FLOAT64(12, 8);

        final int id;
        final int size;

        Type(int id, int size) {
            this.id = id;
            this.size = size;
        }

        static Type of(long id) {
            for (Type t : values()) if (t.id == id) return t;
            return null;
        }

        boolean isInteger() { return id <= 5 || id == 10 || id == 11; }
    }

    public GgufValue {
        if (type == Type.ARRAY ? elementType == null || !(value instanceof List<?>) : elementType != null) {
            throw new IllegalArgumentException("GGUF " + type + " value with element type " + elementType);
        }
    }

    public static GgufValue of(Type type, Object value) {
        return new GgufValue(type, null, type.isInteger() ? ((Number) value).longValue() : value);
    }

    public static GgufValue string(String s) { return of(Type.STRING, s); }
    public static GgufValue u32(long v) { return of(Type.UINT32, v); }
    public static GgufValue i32(long v) { return of(Type.INT32, v); }
    public static GgufValue u64(long v) { return of(Type.UINT64, v); }
    public static GgufValue f32(float v) { return of(Type.FLOAT32, v); }
    public static GgufValue bool(boolean v) { return of(Type.BOOL, v); }

    public static GgufValue array(Type elementType, List<?> values) {
        return new GgufValue(Type.ARRAY, elementType, List.copyOf(values));
    }

    public long asLong() { return ((Number) value).longValue(); }
    public double asDouble() { return ((Number) value).doubleValue(); }
    public String asString() { return (String) value; }
    public List<?> asList() { return (List<?>) value; }
}
