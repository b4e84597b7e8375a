package io.ibllm.io;

import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files byte for byte as the reference implementation (safetensors' Rust
 * core) lays them out: tensors ordered by dtype, largest first in its dtype order (so every
 * tensor is aligned to its element size), then by name; "__metadata__" first in the header;
 * the header padded with spaces to a multiple of 8. Data is streamed; the file appears
 * atomically.
 */
public final class SafetensorsWriter {
    /** The reference's dtype order, descending: its data order. */
    private static final List<DType> ORDER = List.of(DType.I64, DType.F64, DType.F32, DType.I32, DType.BF16, DType.F16,
            DType.I16, DType.I8, DType.U8, DType.BOOL);

    private SafetensorsWriter() {}

    public static void write(Path path, Map<String, Tensor> tensors) {
        write(path, tensors, Map.of());
    }

    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) {
        List<String> order = new ArrayList<>(tensors.keySet());
        for (String n : order) dtypeName(path, n, tensors.get(n).dtype());
        order.sort(Comparator.comparingInt((String n) -> ORDER.indexOf(tensors.get(n).dtype())).thenComparing(n -> n));
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) header.put("__metadata__", new LinkedHashMap<>(metadata));
        long offset = 0;
        for (String name : order) {
            Tensor t = tensors.get(name);
            long size = TensorBytes.size(t);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", dtypeName(path, name, t.dtype()));
            info.put("shape", t.shape());
            info.put("data_offsets", new long[] {offset, offset + size});
            header.put(name, info);
            offset += size;
        }
        byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
        int padded = (int) TensorBytes.align(json.length, 8);
        AtomicFiles.write(path, out -> {
            long n = padded;
            for (int i = 0; i < 8; i++) out.write((int) (n >>> (8 * i)));
            out.write(json);
            for (int i = json.length; i < padded; i++) out.write(' ');
            for (String name : order) TensorBytes.write(out, tensors.get(name));
        });
    }

    private static String dtypeName(Path path, String name, DType dtype) {
        if (dtype.isQuantized()) {
            throw new FormatException(path, "tensor '" + name + "' is " + dtype + ": safetensors has no quantised types (use GGUF)");
        }
        return dtype.name();
    }
}
