package io.ibllm.io;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a STORED zip as torch.save does, optionally with ZIP64 end records and extra fields
 * (forced even for small archives, so the ZIP64 code path is tested without 4 GiB files).
 */
final class ZipBuilder {
    private final Map<String, byte[]> entries = new LinkedHashMap<>();
    private boolean zip64;

    ZipBuilder put(String name, byte[] data) {
        entries.put(name, data);
        return this;
    }

    ZipBuilder zip64() {
        zip64 = true;
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<long[]> offsets = new ArrayList<>();
        for (var e : entries.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            long local = out.size();
            int pad = (int) ((64 - (local + 30 + name.length + 4) % 64) % 64);
            le(out, 0x04034b50, 4);
            le(out, 20, 2); le(out, 0, 2); le(out, 0, 2); le(out, 0, 4);
            le(out, crc(e.getValue()), 4);
            le(out, e.getValue().length, 4);
            le(out, e.getValue().length, 4);
            le(out, name.length, 2);
            le(out, 4 + pad, 2);
            out.writeBytes(name);
            le(out, 0x1234, 2);          // padding extra field, as torch's "FB" one
            le(out, pad, 2);
            out.writeBytes(new byte[pad]);
            out.writeBytes(e.getValue());
            offsets.add(new long[] {local, e.getValue().length});
        }
        long cd = out.size();
        int i = 0;
        for (var e : entries.entrySet()) central(out, e.getKey(), e.getValue(), offsets.get(i++));
        long cdSize = out.size() - cd;
        if (zip64) {
            long rec = out.size();
            le(out, 0x06064b50, 4); le(out, 44, 8); le(out, 45, 2); le(out, 45, 2); le(out, 0, 4); le(out, 0, 4);
            le(out, entries.size(), 8); le(out, entries.size(), 8); le(out, cdSize, 8); le(out, cd, 8);
            le(out, 0x07064b50, 4); le(out, 0, 4); le(out, rec, 8); le(out, 1, 4);
        }
        le(out, 0x06054b50, 4); le(out, 0, 2); le(out, 0, 2);
        le(out, zip64 ? 0xFFFF : entries.size(), 2);
        le(out, zip64 ? 0xFFFF : entries.size(), 2);
        le(out, zip64 ? 0xFFFFFFFFL : cdSize, 4);
        le(out, zip64 ? 0xFFFFFFFFL : cd, 4);
        le(out, 0, 2);
        return out.toByteArray();
    }

    private void central(ByteArrayOutputStream out, String n, byte[] data, long[] off) {
        byte[] name = n.getBytes(StandardCharsets.UTF_8);
        le(out, 0x02014b50, 4);
        le(out, 45, 2); le(out, 45, 2); le(out, 0, 2); le(out, 0, 2); le(out, 0, 4);
        le(out, crc(data), 4);
        le(out, zip64 ? 0xFFFFFFFFL : data.length, 4);
        le(out, zip64 ? 0xFFFFFFFFL : data.length, 4);
        le(out, name.length, 2);
        le(out, zip64 ? 28 : 0, 2);
        le(out, 0, 2); le(out, 0, 2); le(out, 0, 2); le(out, 0, 4);
        le(out, zip64 ? 0xFFFFFFFFL : off[0], 4);
        out.writeBytes(name);
        if (zip64) {
            le(out, 1, 2); le(out, 24, 2);
            le(out, data.length, 8); le(out, data.length, 8); le(out, off[0], 8);
        }
    }

    private static long crc(byte[] b) {
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(b);
        return c.getValue();
    }

    static void le(ByteArrayOutputStream out, long v, int n) {
        for (int i = 0; i < n; i++) out.write((int) (v >>> (8 * i)));
    }
}
