package io.ibllm.io;

import io.ibllm.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Streams a tensor's elements, in row-major order, to a writer without holding it on the heap. */
final class TensorBytes {
    private static final int CHUNK = 1 << 20;

    private TensorBytes() {}

    /** Bytes the tensor occupies when written contiguously. */
    static long size(Tensor t) {
        return t.dtype().byteSize(t.numel());
    }

    static void write(OutputStream out, Tensor t) throws IOException {
        if (t.dtype().isQuantized() || t.isContiguous()) {
            copy(out, t.segment().asSlice(0, size(t)));
            return;
        }
        gather(out, t);
    }

    private static void copy(OutputStream out, MemorySegment seg) throws IOException {
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(1, seg.byteSize()))];
        for (long p = 0; p < seg.byteSize(); p += buf.length) {
            int n = (int) Math.min(buf.length, seg.byteSize() - p);
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, p, buf, 0, n);
            out.write(buf, 0, n);
        }
    }

    /** A strided view: element by element, odometer over the shape. */
    private static void gather(OutputStream out, Tensor t) throws IOException {
        long[] shape = t.shape(), strides = t.strides();
        int elem = t.dtype().blockBytes();
        long[] idx = new long[shape.length];
        MemorySegment seg = t.segment();
        byte[] buf = new byte[CHUNK - CHUNK % elem];
        int fill = 0;
        long phys = 0;
        for (long i = 0, n = t.numel(); i < n; i++) {
            MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, phys * elem, buf, fill, elem);
            fill += elem;
            if (fill == buf.length) {
                out.write(buf, 0, fill);
                fill = 0;
            }
            for (int d = shape.length - 1; d >= 0; d--) {
                phys += strides[d];
                if (++idx[d] < shape[d]) break;
                phys -= strides[d] * shape[d];
                idx[d] = 0;
            }
        }
        out.write(buf, 0, fill);
    }

    static void pad(OutputStream out, long n) throws IOException {
        for (long i = 0; i < n; i++) out.write(0);
    }

    static long align(long pos, long alignment) {
        return (pos + alignment - 1) / alignment * alignment;
    }
}
