package io.ibllm.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens any supported tensor file by looking at its first bytes, not its name. */
public final class Checkpoints {
    private Checkpoints() {}

    /** The formats {@link #open} recognises. */
    public enum Kind { PYTORCH_ZIP, PYTORCH_LEGACY, SAFETENSORS, GGUF, FAISS, NPY, UNKNOWN }

    /**
     * A .pth/.pt (torch.save zip; names relative to the 'model' dict when present, see
     * {@link TorchCheckpoint}), .safetensors, .gguf or FAISS flat index, memory-mapped.
     */
    public static TensorFile open(Path path) {
        return switch (sniff(path)) {
            case PYTORCH_ZIP, PYTORCH_LEGACY -> TorchCheckpoint.open(path);
            case SAFETENSORS -> Safetensors.open(path);
            case GGUF -> Gguf.open(path);
            case FAISS -> FaissIndex.open(path);
            case NPY -> throw new FormatException(path, "is a .npy array, not a checkpoint (read it with Npy.read)");
            case UNKNOWN -> throw new FormatException(path, "unrecognised file format (expected a PyTorch .pth, .safetensors,"
                    + " .gguf or FAISS flat index)");
        };
    }

    /** The format of a file, from its first 16 bytes. */
    public static Kind sniff(Path path) {
        byte[] head = new byte[16];
        int n;
        try (InputStream in = Files.newInputStream(path)) {
            n = in.readNBytes(head, 0, head.length);
        } catch (NoSuchFileException e) {
            throw new FormatException(path, "no such file");
        } catch (IOException e) {
            throw new FormatException(path, "cannot read: " + e.getMessage());
        }
        return sniff(head, n);
    }

    static Kind sniff(byte[] b, int n) {
        if (n >= 4 && b[0] == 'P' && b[1] == 'K' && (b[2] == 3 || b[2] == 5) && (b[3] == 4 || b[3] == 6)) return Kind.PYTORCH_ZIP;
        if (n >= 4 && b[0] == 'G' && b[1] == 'G' && b[2] == 'U' && b[3] == 'F') return Kind.GGUF;
        if (n >= 4 && b[0] == 'I' && (b[1] == 'x' || b[1] == 'w')) return Kind.FAISS;
        if (n >= 6 && (b[0] & 0xFF) == 0x93 && b[1] == 'N' && b[2] == 'U' && b[3] == 'M' && b[4] == 'P' && b[5] == 'Y') return Kind.NPY;
        if (n >= 2 && (b[0] & 0xFF) == 0x80 && b[1] <= 5) return Kind.PYTORCH_LEGACY;
        if (n >= 9) {
            long len = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            if (len >= 2 && len < (100L << 20) && b[8] == '{') return Kind.SAFETENSORS;
        }
        return Kind.UNKNOWN;
    }
}
