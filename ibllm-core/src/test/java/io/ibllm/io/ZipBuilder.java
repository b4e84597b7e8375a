package io.ibllm.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
    /** An entry of size bytes: head, then zeros (left as a hole on disk), then tail. */
    private record Entry(long size, byte[] head, byte[] tail) {}

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private boolean zip64;

    ZipBuilder put(String name, byte[] data) {
        entries.put(name, new Entry(data.length, data, new byte[0]));
        return this;
    }

    /** A large entry that is mostly a hole: only head and tail are written. */
    ZipBuilder putSparse(String name, long size, byte[] head, byte[] tail) {
        entries.put(name, new Entry(size, head, tail));
        return this;
    }

    /** Writes the archive to a file, leaving the zeros of sparse entries as holes. */
    void write(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            write(new Sink() {
                public void write(byte[] b) throws IOException { ch.write(ByteBuffer.wrap(b)); }
                public void skip(long n) throws IOException { ch.position(ch.position() + n); }
                public long position() throws IOException { return ch.position(); }
            });
        }
    }

    private interface Sink {
        void write(byte[] b) throws IOException;
        void skip(long n) throws IOException;
        long position() throws IOException;
    }

    ZipBuilder zip64() {
        zip64 = true;
        return this;
    }

    byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(new Sink() {
                public void write(byte[] b) { out.writeBytes(b); }
                public void skip(long n) { out.writeBytes(new byte[Math.toIntExact(n)]); }
                public long position() { return out.size(); }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void write(Sink sink) throws IOException {
        List<Long> offsets = new ArrayList<>();
        for (var e : entries.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            long local = sink.position();
            offsets.add(local);
            int pad = (int) ((64 - (local + 30 + name.length + 4) % 64) % 64);
            ByteArrayOutputStream h = new ByteArrayOutputStream();
            le(h, 0x04034b50, 4);
            le(h, 20, 2); le(h, 0, 2); le(h, 0, 2); le(h, 0, 4);
            le(h, crc(e.getValue()), 4);
            le(h, small(e.getValue().size()), 4);
            le(h, small(e.getValue().size()), 4);
            le(h, name.length, 2);
            le(h, 4 + pad, 2);
            h.writeBytes(name);
            le(h, 0x1234, 2);          // padding extra field, as torch's "FB" one
            le(h, pad, 2);
            h.writeBytes(new byte[pad]);
            sink.write(h.toByteArray());
            Entry en = e.getValue();
            sink.write(en.head());
            sink.skip(en.size() - en.head().length - en.tail().length);
            sink.write(en.tail());
        }
        long cd = sink.position();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        for (var e : entries.entrySet()) central(out, e.getKey(), e.getValue(), offsets.get(i++));
        long cdSize = out.size();
        if (zip64) {
            long rec = cd + out.size();
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
        sink.write(out.toByteArray());
    }

    private long small(long v) {
        return zip64 ? 0xFFFFFFFFL : v;
    }

    private void central(ByteArrayOutputStream out, String n, Entry e, long off) {
        byte[] name = n.getBytes(StandardCharsets.UTF_8);
        le(out, 0x02014b50, 4);
        le(out, 45, 2); le(out, 45, 2); le(out, 0, 2); le(out, 0, 2); le(out, 0, 4);
        le(out, crc(e), 4);
        le(out, small(e.size()), 4);
        le(out, small(e.size()), 4);
        le(out, name.length, 2);
        le(out, zip64 ? 28 : 0, 2);
        le(out, 0, 2); le(out, 0, 2); le(out, 0, 2); le(out, 0, 4);
        le(out, small(off), 4);
        out.writeBytes(name);
        if (zip64) {
            le(out, 1, 2); le(out, 24, 2);
            le(out, e.size(), 8); le(out, e.size(), 8); le(out, off, 8);
        }
    }

    /** CRC-32 of small entries (sparse ones get 0: nothing reads the CRC). */
    private static long crc(Entry e) {
        if (e.size() != e.head().length) return 0;
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(e.head());
        return c.getValue();
    }

    static void le(ByteArrayOutputStream out, long v, int n) {
        for (int i = 0; i < n; i++) out.write((int) (v >>> (8 * i)));
    }
}
