package io.ibllm.io;

import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** safetensors reader: u64 header length, JSON header, raw little-endian data, mapped in place. */
public final class Safetensors extends MappedTensorMap {
    private static final long MAX_HEADER = 100L << 20;

    private final Map<String, String> metadata = new LinkedHashMap<>();

    private Safetensors(Mapped file) {
        super(file);
    }

    public static Safetensors open(Path path) {
        Mapped m = Mapped.open(path);
        try {
            Safetensors st = new Safetensors(m);
            st.parse();
            return st;
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    private void parse() {
        Path p = file.path();
        if (file.size() < 8) throw new FormatException(p, "too short for a safetensors header");
        long n = file.segment().get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (n < 2 || n > MAX_HEADER || n > file.size() - 8) {
            throw new FormatException(p, "safetensors header length " + n + " is impossible for a file of " + file.size() + " bytes");
        }
        byte[] hdr = file.slice(8, n, "header").toArray(ValueLayout.JAVA_BYTE);
        Object parsed = Json.parse(new String(hdr, StandardCharsets.UTF_8), p);
        if (!(parsed instanceof Map<?, ?> header)) throw new FormatException(p, "safetensors header is not a JSON object");
        long dataStart = 8 + n;
        long dataLen = file.size() - dataStart;
        for (Map.Entry<?, ?> e : header.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals("__metadata__")) {
                if (e.getValue() instanceof Map<?, ?> md) md.forEach((k, v) -> metadata.put(String.valueOf(k), String.valueOf(v)));
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> info)) throw new FormatException(p, "tensor '" + name + "' entry is not an object");
            DType dtype = dtypeOf(String.valueOf(info.get("dtype")), name);
            long[] shape = longs(info.get("shape"), name, "shape");
            long[] offs = longs(info.get("data_offsets"), name, "data_offsets");
            if (offs.length != 2 || offs[0] < 0 || offs[1] < offs[0] || offs[1] > dataLen) {
                throw new FormatException(p, "tensor '" + name + "' data_offsets " + java.util.Arrays.toString(offs)
                        + " outside the data section (" + dataLen + " bytes)");
            }
            for (long d : shape) if (d < 0) throw new FormatException(p, "tensor '" + name + "' has a negative dimension");
            long need;
            try {
                need = dtype.byteSize(Tensor.numel(shape));
            } catch (ArithmeticException ex) {
                throw new FormatException(p, "tensor '" + name + "' shape overflows");
            }
            if (need != offs[1] - offs[0]) {
                throw new FormatException(p, "tensor '" + name + "' has " + (offs[1] - offs[0]) + " bytes, its shape needs " + need);
            }
            MemorySegment seg = file.slice(dataStart + offs[0], need, "tensor '" + name + "'");
            tensors.put(name, Tensor.of(dtype, shape, seg));
        }
    }

    private DType dtypeOf(String s, String name) {
        return switch (s) {
            case "F32" -> DType.F32;
            case "F16" -> DType.F16;
            case "BF16" -> DType.BF16;
            case "F64" -> DType.F64;
            case "I64" -> DType.I64;
            case "I32" -> DType.I32;
            case "I16" -> DType.I16;
            case "I8" -> DType.I8;
            case "U8" -> DType.U8;
            case "BOOL" -> DType.BOOL;
            default -> throw new FormatException(file.path(), "tensor '" + name + "' has unsupported dtype " + s);
        };
    }

    private long[] longs(Object o, String name, String field) {
        if (!(o instanceof List<?> l)) throw new FormatException(file.path(), "tensor '" + name + "' lacks " + field);
        long[] r = new long[l.size()];
        for (int i = 0; i < r.length; i++) {
            if (!(l.get(i) instanceof Number num)) throw new FormatException(file.path(), "tensor '" + name + "' " + field + " is not numeric");
            r[i] = num.longValue();
        }
        return r;
    }

    public Map<String, String> metadata() { return Collections.unmodifiableMap(metadata); }

    @Override public String format() { return "safetensors"; }
}
