package io.ibllm.io;

import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.CRC32;

/**
 * Writes tensors as a PyTorch zip checkpoint that {@code torch.load} reads:
 * {@code {'<wrapper>': {name: tensor}}} (or a flat dict when wrapper is null). Layout as
 * torch.save: a stored zip with {@code archive/data.pkl} (pickle protocol 2 rebuilding each
 * tensor with torch._utils._rebuild_tensor_v2), {@code archive/byteorder}, one
 * {@code archive/data/N} entry per storage (64-byte aligned) and {@code archive/version}.
 * Written atomically; ZIP64 records are used when offsets pass 4 GiB. {@link #write(Path, String, List)}
 * streams: each tensor is made when its turn comes and dropped once written, so files larger than
 * memory can be written; {@link #size} is the exact file size of such a plan, nothing made.
 */
public final class PthWriter {
    /** A tensor to save: shape and row-major float32 values. */
    public record Entry(long[] shape, float[] data) {}

    /**
     * A tensor to stream: its key, stored dtype (F32, F16, BF16 or I64) and shape, and how to make
     * it (called once, in file order, when it is written; it must return that dtype and shape).
     */
    public record Planned(String name, DType dtype, long[] shape, Supplier<Tensor> make) {
        public Planned {
            if (storage(dtype) == null) throw new IllegalArgumentException("no torch storage for " + dtype + " (" + name + ")");
        }

        long bytes() { return dtype.byteSize(Tensor.numel(shape)); }
    }

    private PthWriter() {}

    public static void write(Path target, String wrapper, Map<String, Entry> tensors) {
        List<Planned> plan = new ArrayList<>();
        tensors.forEach((k, e) -> plan.add(new Planned(k, DType.F32, e.shape(), () -> Tensor.f32(e.data(), e.shape()))));
        write(target, wrapper, plan);
    }

    /** Streams {@code plan} into {@code target} in order (one tensor in memory at a time). */
    public static void write(Path target, String wrapper, List<Planned> plan) {
        byte[] pickle = pickle(wrapper, plan);
        String archive = stem(target);
        AtomicFiles.write(target, out -> entries(new ZipOut(out), archive, pickle, plan));
    }

    /** The exact size in bytes of the file {@link #write(Path, String, List)} would write (nothing is made). */
    public static long size(Path target, String wrapper, List<Planned> plan) {
        ZipOut dry = new ZipOut(null);
        try {
            entries(dry, stem(target), pickle(wrapper, plan), plan);
        } catch (IOException e) {
            throw new IllegalStateException(e); // no output: cannot happen
        }
        return dry.pos;
    }

    private static void entries(ZipOut zip, String archive, byte[] pickle, List<Planned> plan) throws IOException {
        zip.entry(archive + "/data.pkl", pickle);
        zip.entry(archive + "/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
        int key = 0;
        for (Planned p : plan) zip.entry(archive + "/data/" + key++, p);
        zip.entry(archive + "/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        zip.finish();
    }

    private static String storage(DType t) {
        return switch (t) {
            case F32 -> "FloatStorage";
            case F16 -> "HalfStorage";
            case BF16 -> "BFloat16Storage";
            case I64 -> "LongStorage";
            default -> null;
        };
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String s = dot > 0 ? n.substring(0, dot) : n;
        return s.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    // ---- pickle protocol 2 ----

    private static byte[] pickle(String wrapper, List<Planned> tensors) {
        Pickler p = new Pickler();
        p.op(0x80).op(2);
        if (wrapper != null) {
            p.op('}').op('(').str(wrapper);
        }
        p.op('}').op('(');
        int key = 0;
        for (Planned e : tensors) {
            p.str(e.name());
            tensor(p, String.valueOf(key++), e);
        }
        p.op('u');
        if (wrapper != null) p.op('u');
        p.op('.');
        return p.bytes();
    }

    private static void tensor(Pickler p, String key, Planned e) {
        long[] shape = e.shape();
        long[] stride = new long[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            stride[i] = acc;
            acc *= shape[i];
        }
        p.global("torch._utils", "_rebuild_tensor_v2").op('(');
        p.op('(').str("storage").global("torch", storage(e.dtype())).str(key).str("cpu").integer(Tensor.numel(shape)).op('t').op('Q');
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
        private final OutputStream out; // null: only count the bytes (size of a plan)
        private final List<byte[]> central = new ArrayList<>();
        private long pos;
        private int count;

        ZipOut(OutputStream out) { this.out = out; }

        void entry(String name, byte[] data) throws IOException {
            CRC32 crc = new CRC32();
            crc.update(data);
            entry(name, data.length, crc.getValue(), () -> write(data));
        }

        /** A tensor's storage: made now (unless counting), checked against the plan, written, dropped. */
        void entry(String name, Planned p) throws IOException {
            if (out == null) {
                entry(name, p.bytes(), 0, () -> pos += p.bytes());
                return;
            }
            Tensor t = p.make().get();
            if (t.dtype() != p.dtype() || !Arrays.equals(t.shape(), p.shape()) || !t.isContiguous()) {
                throw new IllegalStateException(p.name() + ": made " + t.dtype() + " " + t.shapeString() + ", planned "
                        + p.dtype() + " " + Arrays.toString(p.shape()));
            }
            MemorySegment data = t.segment().asSlice(0, p.bytes());
            CRC32 crc = new CRC32();
            crc.update(data.asByteBuffer());
            entry(name, p.bytes(), crc.getValue(), () -> {
                byte[] chunk = new byte[1 << 20];
                for (long off = 0; off < p.bytes(); off += chunk.length) {
                    int n = (int) Math.min(chunk.length, p.bytes() - off);
                    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, off, chunk, 0, n);
                    out.write(chunk, 0, n);
                    pos += n;
                }
            });
        }

        private interface Body {
            void write() throws IOException;
        }

        private void entry(String name, long size, long crc, Body body) throws IOException {
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            long offset = pos;
            boolean zip64 = offset >= 0xFFFFFFFFL || size >= 0xFFFFFFFFL;
            int headerLen = 30 + nameBytes.length + (zip64 ? 20 : 0);
            int pad = (int) ((64 - (offset + headerLen + 4) % 64) % 64);
            ByteBuffer h = le(headerLen + 4 + pad);
            h.putInt(0x04034b50).putShort((short) (zip64 ? 45 : 20)).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putShort((short) 0x21).putInt((int) crc);
            h.putInt(zip64 ? -1 : (int) size).putInt(zip64 ? -1 : (int) size);
            h.putShort((short) nameBytes.length).putShort((short) ((zip64 ? 20 : 0) + 4 + pad)).put(nameBytes);
            if (zip64) h.putShort((short) 1).putShort((short) 16).putLong(size).putLong(size);
            h.putShort((short) 0x4246).putShort((short) pad).put(new byte[pad]); // "FB" padding as torch.save
            write(h.array());
            body.write();
            central.add(centralRecord(nameBytes, crc, size, offset));
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
            if (out != null) out.write(b);
            pos += b.length;
        }

        private static ByteBuffer le(int n) { return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN); }
    }
}
