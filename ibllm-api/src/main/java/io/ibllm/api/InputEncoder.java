package io.ibllm.api;

import io.ibllm.imagebind.ImageBindConfig;
import io.ibllm.imagebind.ImageBindModel;
import io.ibllm.imagebind.InputKind;
import io.ibllm.imagebind.ModalityInputs;
import io.ibllm.io.Checkpoints;
import io.ibllm.io.FormatException;
import io.ibllm.io.Npy;
import io.ibllm.io.TensorFile;
import io.ibllm.tensor.DType;
import io.ibllm.tensor.Tensor;
import io.ibllm.tokenizer.ClipTokenizer;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * Turns one {@link Input} into its ImageBind embedding (the postprocessed head output, as
 * forward_visual uses it). Embedding inputs pass through; everything else needs the ImageBind
 * checkpoint. Stateless apart from the mapped weights, so any number of threads may use it.
 */
final class InputEncoder implements AutoCloseable {
    private final TensorFile file;
    private final ImageBindModel model;
    private final int dim;

    private InputEncoder(TensorFile file, ImageBindModel model, int dim) {
        this.file = file;
        this.model = model;
        this.dim = dim;
    }

    /** Opens the checkpoint when there is one; {@code dim} is what the bind network takes. */
    static InputEncoder open(Path checkpoint, Path config, int dim) {
        if (checkpoint == null) return new InputEncoder(null, null, dim);
        ImageBindConfig cfg = config == null ? ImageBindConfig.defaults() : ImageBindConfig.read(config);
        TensorFile f = Checkpoints.open(checkpoint);
        try {
            ImageBindModel m = ImageBindModel.load(f, cfg);
            if (m.outDim() != dim) {
                throw new FormatException(checkpoint, "ImageBind embeddings have " + m.outDim() + " values, the adapter's bind network takes " + dim);
            }
            return new InputEncoder(f, m, dim);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
    }

    float[] embed(Input in) {
        if (in.kind() == Input.Kind.EMBEDDING) return in.vector() != null ? checkedVector(in.vector(), "embedding") : npyVector(in.file());
        if (model == null) {
            throw new IllegalStateException("cannot embed " + in.describe() + ": the model was loaded without an ImageBind checkpoint");
        }
        InputKind kind = in.kind().encoderInput();
        Tensor batch = batch(in, kind);
        ImageBindModel.Embedding e;
        try {
            e = model.embed(kind.modality(), batch, in.fpsStart());
        } catch (IllegalArgumentException | IllegalStateException ex) {
            throw new IllegalArgumentException(in.describe() + ": " + ex.getMessage(), ex);
        }
        if (e.rows() != 1) throw new IllegalArgumentException(in.describe() + ": holds " + e.rows() + " items; one input is one item");
        return e.postnorm();
    }

    private static Tensor batch(Input in, InputKind kind) {
        if (in.text() != null) {
            long[] row = ClipTokenizer.standard().tokens77(in.text());
            return Tensor.of(DType.I64, new long[] {1, row.length}, MemorySegment.ofArray(row));
        }
        if (in.tensor() != null) return ModalityInputs.asBatch(kind, Path.of("<" + in.kind().label() + " tensor>"), in.tensor());
        return ModalityInputs.read(kind, in.file(), MediaFiles.loader(kind));
    }

    /** A .npy holding one vector ([D], [1, D], [1, 1, D] ...). */
    float[] npyVector(Path file) {
        Tensor t = Npy.read(file);
        long[] s = t.shape();
        for (int i = 0; i + 1 < s.length; i++) {
            if (s[i] != 1) throw new FormatException(file, "expected one vector ([" + dim + "] or [1, " + dim + "]), got " + t.shapeString());
        }
        if (s.length == 0 || s[s.length - 1] != dim || !t.dtype().isFloating()) {
            throw new FormatException(file, "expected a float vector of " + dim + " values, got " + t);
        }
        return t.toFloatArray();
    }

    float[] checkedVector(float[] v, String what) {
        if (v.length != dim) throw new IllegalArgumentException(what + " has " + v.length + " values, the bind network takes " + dim);
        return v;
    }

    boolean hasImageBind() { return model != null; }

    @Override
    public void close() {
        if (file != null) file.close();
    }
}
