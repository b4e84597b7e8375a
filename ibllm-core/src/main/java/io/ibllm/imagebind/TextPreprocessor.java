package io.ibllm.imagebind;

import io.ibllm.tensor.Tensor;
import java.util.Arrays;

/**
 * Text stem: token embedding (a row gather from the mapped [vocab, D] table) + learned
 * positions, the stored additive causal mask (-inf above the diagonal) for the trunk, and for
 * the head the position {@code argmax(token ids)} of each row (the first EOT, 49407, the
 * largest id; if truncation dropped it, whatever id is largest).
 */
final class TextPreprocessor implements Preprocessor {
    private final Tensor embedding;
    private final float[] pos;
    private final float[] mask;
    private final int context;
    private final int dim;

    private TextPreprocessor(Tensor embedding, float[] pos, float[] mask, int context, int dim) {
        this.embedding = embedding;
        this.pos = pos;
        this.mask = mask;
        this.context = context;
        this.dim = dim;
    }

    static TextPreprocessor load(Weights w, int dim) {
        String p = "modality_preprocessors.text.";
        long[] es = w.peekShape(p + "token_embedding.weight");
        long[] ps = w.peekShape(p + "pos_embed");
        if (es.length != 2 || ps.length != 3) {
            throw w.error("text embedding tables have shapes " + Arrays.toString(es) + " and " + Arrays.toString(ps)
                    + ", expected [vocab,D] and [1,context,D]");
        }
        int context = (int) ps[1];
        Tensor emb = w.take(p + "token_embedding.weight", es[0], dim);
        float[] pos = w.vector(p + "pos_embed", 1, context, dim);
        float[] mask = w.vector(p + "mask", context, context);
        return new TextPreprocessor(emb, pos, mask, context, dim);
    }

    @Override public int dim() { return dim; }

    @Override
    public Tokens apply(Tensor ids) {
        if (ids.rank() != 2 || ids.dim(1) != context || ids.dtype().isFloating() || ids.dtype().isQuantized()) {
            throw Preprocessor.badInput(Modality.TEXT, ids, "integer token ids [B," + context + "]");
        }
        int b = Preprocessor.size(ids, 0);
        long vocab = embedding.dim(0);
        long[] t = ids.toLongArray();
        float[] x = new float[b * context * dim];
        int[] select = new int[b];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < context; j++) {
                long id = t[i * context + j];
                if (id < 0 || id >= vocab) {
                    throw new IllegalArgumentException("text token id " + id + " at [" + i + "," + j + "] is outside the vocabulary [0, " + vocab + ")");
                }
                if (id > t[i * context + select[i]]) select[i] = j;
                int o = (i * context + j) * dim;
                long row = id * dim;
                for (int d = 0; d < dim; d++) x[o + d] = embedding.getFloat(row + d) + pos[j * dim + d];
            }
        }
        return new Tokens(x, b, context, dim, select, mask);
    }
}
