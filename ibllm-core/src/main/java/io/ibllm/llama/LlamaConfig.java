package io.ibllm.llama;

import io.ibllm.io.FormatException;
import io.ibllm.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Geometry of a LLaMA model: what params.json says plus the vocabulary (from the tokenizer or
 * the embedding rows) and the context length (a run-time choice; the reference hard-codes 512).
 *
 * @param ffnHidden SwiGLU width, multiple_of·ceil(int(2·4·dim/3)/multiple_of) as in the reference
 */
public record LlamaConfig(int dim, int nLayers, int nHeads, int ffnHidden, float normEps, int vocabSize,
                          int contextLength) {
    public static final int DEFAULT_CONTEXT = 512;
    /** LLaMA-1 was trained on 2048 positions; beyond that RoPE extrapolates badly. */
    public static final int MAX_CONTEXT = 2048;

    public LlamaConfig {
        if (dim <= 0 || nLayers <= 0 || nHeads <= 0 || dim % nHeads != 0 || (dim / nHeads) % 2 != 0) {
            throw new IllegalArgumentException("bad LLaMA geometry: dim " + dim + ", n_heads " + nHeads
                    + " (dim must split into heads of even size), n_layers " + nLayers);
        }
        if (contextLength < 1 || contextLength > MAX_CONTEXT) {
            throw new IllegalArgumentException("context length must be 1.." + MAX_CONTEXT + ", got " + contextLength);
        }
    }

    public int headDim() { return dim / nHeads; }

    /** The reference's SwiGLU hidden size for {@code dim} and {@code multipleOf}. */
    public static int ffnHidden(int dim, int multipleOf) {
        int h = (int) (2 * (4L * dim) / 3.0);
        return multipleOf * ((h + multipleOf - 1) / multipleOf);
    }

    public LlamaConfig withVocab(int vocab) {
        return new LlamaConfig(dim, nLayers, nHeads, ffnHidden, normEps, vocab, contextLength);
    }

    /** Reads params.json; the vocabulary is left at -1 (params.json says -1 too) until known. */
    public static LlamaConfig read(Path paramsJson, int contextLength) {
        String text;
        try {
            text = Files.readString(paramsJson);
        } catch (IOException e) {
            throw new FormatException(paramsJson, "cannot read params.json: " + e.getMessage());
        }
        return parse(text, paramsJson, contextLength);
    }

    /** params.json text (from a file or a converted GGUF, named by {@code source} in errors). */
    public static LlamaConfig parse(String text, Path paramsJson, int contextLength) {
        if (!(Json.parse(text, paramsJson) instanceof Map<?, ?> m)) {
            throw new FormatException(paramsJson, "params.json must be a JSON object");
        }
        int dim = intField(m, "dim", paramsJson);
        int multipleOf = intField(m, "multiple_of", paramsJson);
        if (multipleOf <= 0) throw new FormatException(paramsJson, "multiple_of must be positive");
        try {
            return new LlamaConfig(dim, intField(m, "n_layers", paramsJson), intField(m, "n_heads", paramsJson),
                    ffnHidden(dim, multipleOf), (float) numField(m, "norm_eps", paramsJson), -1, contextLength);
        } catch (IllegalArgumentException e) {
            throw new FormatException(paramsJson, e.getMessage());
        }
    }

    private static double numField(Map<?, ?> m, String key, Path f) {
        if (!(m.get(key) instanceof Number n)) throw new FormatException(f, "field \"" + key + "\" missing or not a number");
        return n.doubleValue();
    }

    private static int intField(Map<?, ?> m, String key, Path f) {
        double v = numField(m, key, f);
        if (v != Math.rint(v) || v < 1 || v > 1 << 20) {
            throw new FormatException(f, "field \"" + key + "\" must be a positive integer, got " + v);
        }
        return (int) v;
    }
}
