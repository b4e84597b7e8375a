package io.ibllm.llama;

import io.ibllm.io.Json;
import io.ibllm.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes crafted safetensors files for loader tests. */
final class SafetensorsWriter {
    private SafetensorsWriter() {}

    static void write(Path file, Map<String, Tensor> tensors) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        List<byte[]> blobs = new ArrayList<>();
        long offset = 0;
        for (var e : tensors.entrySet()) {
            Tensor t = e.getValue();
            byte[] bytes = t.segment().asSlice(0, t.dtype().byteSize(t.numel())).toArray(ValueLayout.JAVA_BYTE);
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", t.dtype().name());
            info.put("shape", t.shape());
            info.put("data_offsets", new long[] {offset, offset + bytes.length});
            header.put(e.getKey(), info);
            blobs.add(bytes);
            offset += bytes.length;
        }
        byte[] h = Json.write(header).getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            out.write(h);
            for (byte[] b : blobs) out.write(b);
        }
    }
}
