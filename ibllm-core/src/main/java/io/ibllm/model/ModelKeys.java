package io.ibllm.model;

/**
 * Names inside a converted model GGUF (docs/GGUF.md). Tensors keep their original state-dict
 * names under one prefix per source file; configs and tokenizers are metadata.
 */
public final class ModelKeys {
    private ModelKeys() {}

    /** Tensor prefixes: base LLaMA shards, the ImageBind-LLM adapter checkpoint, the ImageBind (+ Point-BERT) checkpoint. */
    public static final String LLAMA = "llama.", ADAPTER = "adapter.", IMAGEBIND = "imagebind.";

    public static final String ARCHITECTURE = "general.architecture", NAME = "general.name";
    /** Value of general.architecture, and the prefix of every ibllm metadata key. */
    public static final String ARCH = "ibllm";
    public static final String VERSION = "ibllm.version";
    public static final int FORMAT_VERSION = 1;
    /** params.json, verbatim. */
    public static final String LLAMA_PARAMS = "ibllm.llama.params_json";
    /** f32 | f16 | q8_0 | q4_0: the type chosen for the base LLaMA matrices. */
    public static final String LLAMA_TYPE = "ibllm.llama.type";
    /** stable | legacy (7B.pth / 7B-beta.pth bind network). */
    public static final String ADAPTER_VARIANT = "ibllm.adapter.variant";
    /** The --imagebind-config JSON, verbatim; absent = the default (huge) config. */
    public static final String IMAGEBIND_CONFIG = "ibllm.imagebind.config_json";
    public static final String IMAGEBIND_TYPE = "ibllm.imagebind.type";
    /** The raw bytes of tokenizer.model (UINT8 array). */
    public static final String SENTENCEPIECE = "ibllm.tokenizer.sentencepiece_model";
    /** CLIP BPE merges file lines (header + merges), joined by '\n'. */
    public static final String CLIP_MERGES = "ibllm.tokenizer.clip_merges";
    /** Optional path of the visual cache (kept as a separate file). */
    public static final String CACHE_PATH = "ibllm.cache.path";
    /** JSON {tensor name: original shape} for tensors stored with folded leading dimensions (GGUF allows 4). */
    public static final String SHAPES = "ibllm.original_shapes";
}
