package io.ibllm.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The central directory of a STORED (uncompressed) zip archive, read straight from a mapping,
 * as torch.save writes it. ZIP64 records are followed, since real checkpoints exceed 4 GiB.
 * Every entry's data is located through its local header (torch pads data to 64 bytes there)
 * and checked to lie inside the file; compressed entries are refused.
 */
final class ZipDirectory {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int EOCD = 0x06054b50, ZIP64_LOCATOR = 0x07064b50, ZIP64_EOCD = 0x06064b50;
    private static final int CENTRAL = 0x02014b50, LOCAL = 0x04034b50;
    private static final long MAX_COMMENT = 0xFFFF;

    /** Where an entry's bytes are: absolute offset in the file and length. */
    record Entry(String name, long offset, long size) {}

    private final Mapped file;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private ZipDirectory(Mapped file) {
        this.file = file;
    }

    static ZipDirectory read(Mapped file) {
        ZipDirectory z = new ZipDirectory(file);
        z.parse();
        return z;
    }

    Map<String, Entry> entries() { return Collections.unmodifiableMap(entries); }

    private void parse() {
        long eocd = findEndRecord();
        long count = u16(eocd + 10);
        long cdSize = u32(eocd + 12);
        long cdOffset = u32(eocd + 16);
        if (count == 0xFFFF || cdSize == 0xFFFFFFFFL || cdOffset == 0xFFFFFFFFL) {
            long[] z64 = zip64End(eocd);
            count = z64[0];
            cdSize = z64[1];
            cdOffset = z64[2];
        }
        file.slice(cdOffset, cdSize, "zip central directory");
        if (count < 0 || count > cdSize / 46) throw corrupt("zip directory claims " + count + " entries in " + cdSize + " bytes");
        long p = cdOffset;
        for (long i = 0; i < count; i++) p = centralEntry(p, cdOffset + cdSize);
    }

    /** The end-of-central-directory record: the last signature within the trailing 64 KiB. */
    private long findEndRecord() {
        long size = file.size();
        if (size < 22) throw corrupt("too short for a zip archive (" + size + " bytes)");
        long stop = Math.max(0, size - 22 - MAX_COMMENT);
        for (long p = size - 22; p >= stop; p--) {
            if (u32(p) == EOCD && p + 22 + u16(p + 20) == size) return p;
        }
        throw corrupt("no zip end-of-directory record (truncated or not a zip archive)");
    }

    private long[] zip64End(long eocd) {
        if (eocd < 20 || u32(eocd - 20) != ZIP64_LOCATOR) throw corrupt("zip64 end-of-directory locator missing");
        long rec = u64(eocd - 20 + 8);
        if (rec < 0 || rec > eocd - 20 - 56 || u32(rec) != ZIP64_EOCD) {
            throw corrupt("zip64 end-of-directory record at " + rec + " is invalid");
        }
        return new long[] {u64(rec + 32), u64(rec + 40), u64(rec + 48)};
    }

    /** Parses one central-directory entry at p, returns the position of the next one. */
    private long centralEntry(long p, long cdEnd) {
        if (p > cdEnd - 46 || u32(p) != CENTRAL) throw corrupt("zip central directory entry at " + p + " is invalid");
        int method = u16(p + 10);
        long compressed = u32(p + 20), size = u32(p + 24);
        int nameLen = u16(p + 28), extraLen = u16(p + 30), commentLen = u16(p + 32);
        long local = u32(p + 42);
        long next = p + 46 + nameLen + extraLen + commentLen;
        if (next > cdEnd) throw corrupt("zip central directory entry at " + p + " overruns the directory");
        String name = new String(bytes(p + 46, nameLen), StandardCharsets.UTF_8);
        long[] z64 = {size, compressed, local};
        zip64Extra(p + 46 + nameLen, extraLen, z64, name);
        size = z64[0];
        compressed = z64[1];
        local = z64[2];
        if (method != 0) throw corrupt("zip entry '" + name + "' is compressed (method " + method + "); torch.save stores entries");
        if (compressed != size) throw corrupt("zip entry '" + name + "' sizes disagree");
        entries.put(name, new Entry(name, dataOffset(local, name, size), size));
        return next;
    }

    /** Replaces 0xFFFFFFFF fields by their ZIP64 extra-field values, in the order the spec gives. */
    private void zip64Extra(long p, int len, long[] fields, String name) {
        long end = p + len;
        while (p + 4 <= end) {
            int id = u16(p), sz = u16(p + 2);
            if (p + 4 + sz > end) throw corrupt("zip entry '" + name + "' has a malformed extra field");
            if (id == 0x0001) {
                long q = p + 4;
                for (int i = 0; i < 3; i++) {
                    if (fields[i] != 0xFFFFFFFFL) continue;
                    if (q + 8 > p + 4 + sz) throw corrupt("zip entry '" + name + "' has a short zip64 field");
                    fields[i] = u64(q);
                    q += 8;
                }
            }
            p += 4 + sz;
        }
    }

    private long dataOffset(long local, String name, long size) {
        if (local < 0 || local > file.size() - 30 || u32(local) != LOCAL) {
            throw corrupt("zip entry '" + name + "' has no local header at " + local);
        }
        long data = local + 30 + u16(local + 26) + u16(local + 28);
        file.slice(data, size, "zip entry '" + name + "'");
        return data;
    }

    private byte[] bytes(long p, int n) {
        return file.slice(p, n, "zip field").toArray(ValueLayout.JAVA_BYTE);
    }

    private MemorySegment seg() { return file.segment(); }

    private int u16(long p) {
        file.slice(p, 2, "zip field");
        return Short.toUnsignedInt(seg().get(U16, p));
    }

    private long u32(long p) {
        file.slice(p, 4, "zip field");
        return Integer.toUnsignedLong(seg().get(U32, p));
    }

    private long u64(long p) {
        file.slice(p, 8, "zip field");
        return seg().get(U64, p);
    }

    private FormatException corrupt(String what) {
        return new FormatException(file.path(), what);
    }
}
