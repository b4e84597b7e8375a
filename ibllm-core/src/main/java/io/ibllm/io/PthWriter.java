package io.ibllm.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes float32 tensors as a PyTorch zip checkpoint that {@code torch.load} reads:
 * {@code {'<wrapper>': {name: tensor}}} (or a flat dict when wrapper is null). Layout as
 * torch.save: a stored zip with {@code archive/data.pkl} (pickle protocol 2 rebuilding each
 * tensor with torch._utils._rebuild_tensor_v2), {@code archive/byteorder}, one
 * {@code archive/data/N} entry per storage (64-byte aligned) and {@code archive/version}.
 * Written atomically; ZIP64 records are used when offsets pass 4 GiB.
 */
public final class PthWriter {
    /** A tensor to save: shape and row-major float32 values. */
    public record Entry(long[] shape, float[] data) {}

    private PthWriter() {}

    public static void write(Path target, String wrapper, Map<String, Entry> tensors) {
        String archive = stem(target);
        Map<String, Entry> ordered = new LinkedHashMap<>(tensors);
        byte[] pickle = pickle(wrapper, ordered);
        AtomicFiles.write(target, out -> {
            ZipOut zip = new ZipOut(out);
            zip.entry(archive + "/data.pkl", pickle);
            zip.entry(archive + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            int key = 0;
            for (Entry e : ordered.values()) zip.entry(archive + "/data/" + key++, floats(e.data()));
            zip.entry(archive + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            zip.finish();
        });
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String s = dot > 0 ? n.substring(0, dot) : n;
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    private static byte[] floats(float[] v) {
        ByteBuffer bb = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(v);
        return bb.array();
    }

    // ---- pickle protocol 2 ----

    private static byte[] pickle(String wrapper, Map<String, Entry> tensors) {
        Pickler p = new Pickler();
        p.op(0x80).op(2);
        if (wrapper != null) {
            p.op('}').op('(').str(wrapper);
        }
        p.op('}').op('(');
        int key = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            p.str(e.getKey());
            tensor(p, String.valueOf(key++), e.getValue());
        }
        p.op('u');
        if (wrapper != null) p.op('u');
        p.op('.');
        return p.bytes();
    }

    private static void tensor(Pickler p, String key, Entry e) {
        long[] shape = e.shape();
        long[] stride = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = acc;
            acc *= shape[i];
        }
        p.global("torch._utils", "_rebuild_tensor_v2").op('(');
        p.op('(').str("storage").global("torch", "FloatStorage").str(key).str("cpu").integer(e.data().length).op('t').op('Q');
        p.integer(0);
        p.tuple(shape).tuple(stride);
        p.op(0x89);
        p.global("collections", "OrderedDict").op(')').op('R');
        p.op('t').op('R');
    }

    private static final class Pickler {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Pickler op(int b) {
            out.write(b);
            return this;
        }

        Pickler str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            le32(b.length);
            out.writeBytes(b);
            return this;
        }

        Pickler global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        Pickler integer(long v) {
            if (v >= 0 && v < 256) return op('K').op((int) v);
            if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                op('J');
                le32((int) v);
                return this;
            }
            op(0x8a).op(8);
            for (int i = 0; i < 8; i++) op((int) (v >>> (8 * i)) & 0xFF);
            return this;
        }

        Pickler tuple(long[] v) {
            if (v.length == 0) return op(')');
            op('(');
            for (long x : v) integer(x);
            return op('t');
        }

        private void le32(int v) {
            for (int i = 0; i < 4; i++) out.write((v >>> (8 * i)) & 0xFF);
        }

        byte[] bytes() { return out.toByteArray(); }
    }

    // ---- stored zip with 64-byte aligned data ----

    private static final class ZipOut {
        private final OutputStream out;
        private final List<byte[]> central = new ArrayList<>();
        private long pos;
        private int count;

        ZipOut(OutputStream out) { this.out = out; }

        void entry(String name, byte[] data) throws IOException {
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            CRC32 crc = new CRC32();
            crc.update(data);
            long offset = pos;
            boolean zip64 = offset >= 0xFFFFFFFFL || data.length >= 0xFFFFFFFFL;
            int headerLen = 30 + nameBytes.length + (zip64 ? 20 : 0);
            int pad = (int) ((64 - (offset + headerLen + 4) % 64) % 64);
            ByteBuffer h = le(headerLen + 4 + pad);
            h.putInt(0x04034b50).putShort((short) (zip64 ? 45 : 20)).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0x21).putInt((int) crc.getValue());
            h.putInt(zip64 ? -1 : data.length).putInt(zip64 ? -1 : data.length);
            h.putShort((short) nameBytes.length).putShort((short) ((zip64 ? 20 : 0) + 4 + pad)).put(nameBytes);
            if (zip64) h.putShort((short) 1).putShort((short) 16).putLong(data.length).putLong(data.length);
            h.putShort((short) 0x4246).putShort((short) pad).put(new byte[pad]); // "FB" padding as torch.save
            write(h.array());
            write(data);
            central.add(centralRecord(nameBytes, crc.getValue(), data.length, offset));
            count++;
        }

        private byte[] centralRecord(byte[] name, long crc, long size, long offset) {
            boolean zip64 = offset >= 0xFFFFFFFFL || size >= 0xFFFFFFFFL;
            ByteBuffer c = le(46 + name.length + (zip64 ? 28 : 0));
            c.putInt(0x02014b50).putShort((short) (zip64 ? 45 : 20)).putShort((short) (zip64 ? 45 : 20)).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0).putShort((short) 0x21).putInt((int) crc);
            c.putInt(zip64 ? -1 : (int) size).putInt(zip64 ? -1 : (int) size).putShort((short) name.length)
                    .putShort((short) (zip64 ? 28 : 0)).putShort((short) 0).putShort((short) 0).putShort((short) 0).putInt(0)
                    .putInt(zip64 ? -1 : (int) offset).put(name);
            if (zip64) c.putShort((short) 1).putShort((short) 24).putLong(size).putLong(size).putLong(offset);
            return c.array();
        }

        void finish() throws IOException {
            long cdStart = pos;
            for (byte[] c : central) write(c);
            long cdSize = pos - cdStart;
            boolean zip64 = cdStart >= 0xFFFFFFFFL || count >= 0xFFFF;
            if (zip64) {
                long eocd64 = pos;
                ByteBuffer z = le(56 + 20);
                z.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45).putInt(0).putInt(0)
                        .putLong(count).putLong(count).putLong(cdSize).putLong(cdStart);
                z.putInt(0x07064b50).putInt(0).putLong(eocd64).putInt(1);
                write(z.array());
            }
            ByteBuffer e = le(22);
            e.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                    .putShort((short) Math.min(count, 0xFFFF)).putShort((short) Math.min(count, 0xFFFF))
                    .putInt((int) Math.min(cdSize, 0xFFFFFFFFL)).putInt(zip64 ? -1 : (int) cdStart).putShort((short) 0);
            write(e.array());
        }

        private void write(byte[] b) throws IOException {
            out.write(b);
            pos += b.length;
        }

        private static ByteBuffer le(int n) { return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN); }
    }
}
