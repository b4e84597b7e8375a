package io.ibllm.imagebind;

import io.ibllm.io.FormatException;
import io.ibllm.io.Npy;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Resolves an input file into an encoder batch [B, ...]: a .npy goes straight in (already in
 * the encoder's layout), anything else goes to the media loader the caller has for the kind
 * (module ibllm-media: image decoding + CLIP transform, audio fbank clips, point-cloud files ...).
 */
public final class ModalityInputs {
    private ModalityInputs() {}

    /**
     * The batch for {@code file}: one item gets a leading batch dimension of 1. {@code media}
     * turns a non-.npy file into one item (or a batch); null when there is no loader for the kind.
     */
    public static Tensor read(InputKind kind, Path file, Function<Path, Tensor> media) {
        Tensor t;
        if (file.getFileName().toString().toLowerCase().endsWith(".npy")) {
            t = Npy.read(file);
        } else if (media != null) {
            t = media.apply(file);
        } else {
            throw new FormatException(file, "there is no " + kind.name().toLowerCase() + " file loader in this build;"
                    + " pass a .npy " + kind.layout());
        }
        return asBatch(kind, file, t);
    }

    /** Checks rank and dtype and adds the batch dimension to a single item. */
    public static Tensor asBatch(InputKind kind, Path file, Tensor t) {
        boolean integer = !t.dtype().isFloating() && !t.dtype().isQuantized();
        if (kind == InputKind.TEXT_TOKENS ? !integer : integer) {
            throw new FormatException(file, "dtype " + t.dtype() + " for " + kind.name().toLowerCase() + " input, expected "
                    + (integer ? "float" : "integer token ids"));
        }
        if (t.rank() == kind.itemRank() + 1) return t;
        if (t.rank() != kind.itemRank()) {
            throw new FormatException(file, "shape " + Arrays.toString(t.shape()) + " is not " + kind.layout()
                    + " (or a batch of those) for " + kind.name().toLowerCase() + " input");
        }
        long[] s = new long[t.rank() + 1];
        s[0] = 1;
        System.arraycopy(t.shape(), 0, s, 1, t.rank());
        if (t.isContiguous()) return t.reshape(s);
        if (integer) return Tensor.of(DType.I64, s, MemorySegment.ofArray(t.toLongArray()));
        return Tensor.f32(t.toFloatArray(), s);
    }
}
