package io.ibllm.media.points;

import io.ibllm.io.FormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;

/** PLY scalar property types and how to read one from a binary body. */
enum PlyType {
    INT8(1), UINT8(1), INT16(2), UINT16(2), INT32(4), UINT32(4), FLOAT32(4), FLOAT64(8);

    final int bytes;

    PlyType(int bytes) { this.bytes = bytes; }

    static PlyType of(Path file, String name) {
        return switch (name) {
            case "char", "int8" -> INT8;
            case "uchar", "uint8" -> UINT8;
            case "short", "int16" -> INT16;
            case "ushort", "uint16" -> UINT16;
            case "int", "int32" -> INT32;
            case "uint", "uint32" -> UINT32;
            case "float", "float32" -> FLOAT32;
            case "double", "float64" -> FLOAT64;
            default -> throw new FormatException(file, "unknown PLY property type '" + name + "'");
        };
    }

    double read(MemorySegment s, long off, ByteOrder order) {
        return switch (this) {
            case INT8 -> s.get(ValueLayout.JAVA_BYTE, off);
            case UINT8 -> Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, off));
            case INT16 -> s.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order), off);
            case UINT16 -> Short.toUnsignedInt(s.get(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order), off));
            case INT32 -> s.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), off);
            case UINT32 -> Integer.toUnsignedLong(s.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(order), off));
            case FLOAT32 -> s.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(order), off);
            case FLOAT64 -> s.get(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(order), off);
        };
    }
}
