package io.ibllm.api;

import io.ibllm.bind.Mixer;
import io.ibllm.bind.VisualCache;
import io.ibllm.io.FormatException;
import io.ibllm.llama.AdapterPrompt;
import io.ibllm.llama.Generator;
import io.ibllm.llama.LlamaAdapter;
import io.ibllm.model.ModelFiles;
import io.ibllm.llama.PromptTemplate;
import io.ibllm.tokenizer.SentencePieceTokenizer;
import io.ibllm.tokenizer.TokenDecoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * ImageBind-LLM for Java programs: load the model once, then embed inputs and answer requests
 * from any number of threads. Weights are memory-mapped and shared read-only; each request gets
 * its own KV cache, sampler and decoder. {@link #close} waits for running requests, then unmaps
 * the files; later calls fail with "model is closed".
 */
public final class ImageBindLLM implements AutoCloseable {
    private final ModelFiles files;
    private final LlamaAdapter llm;
    private final SentencePieceTokenizer tokenizer;
    private final InputEncoder encoder;
    private final VisualCache cache;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private ImageBindLLM(ModelFiles files, LlamaAdapter llm, SentencePieceTokenizer tokenizer, InputEncoder encoder, VisualCache cache) {
        this.files = files;
        this.llm = llm;
        this.tokenizer = tokenizer;
        this.encoder = encoder;
        this.cache = cache;
    }

    /** Loads a model: the original checkpoint files or one converted GGUF (see {@link ModelPaths}). */
    public static ImageBindLLM load(ModelPaths paths) {
        ModelFiles files = paths.open();
        LlamaAdapter llm = null;
        VisualCache cache = null;
        try {
            llm = files.loadLlama(paths.contextLength());
            SentencePieceTokenizer sp = files.tokenizer();
            int vocab = llm.llama().config().vocabSize();
            if (sp.vocabSize() != vocab) {
                throw new FormatException(files.tokenizerSource(), "tokenizer has " + sp.vocabSize() + " pieces, the model's vocabulary is " + vocab);
            }
            int dim = llm.bindNetwork().inputDim();
            InputEncoder enc = new InputEncoder(paths.hasImageBind() ? files.loadImageBind() : null, files.clip(), dim, files.source());
            Path cachePath = paths.cache() != null ? paths.cache() : paths.recordedCache() ? files.cachePath().orElse(null) : null;
            cache = cachePath == null ? null : VisualCache.open(cachePath);
            if (cache != null && cache.dim() != dim) {
                throw new FormatException(cachePath, "cache vectors have " + cache.dim() + " values, the model expects " + dim);
            }
            return new ImageBindLLM(files, llm, sp, enc, cache);
        } catch (RuntimeException e) {
            if (cache != null) cache.close();
            if (llm != null) llm.close();
            files.close();
            throw e;
        }
    }

    /** Loads a GGUF written by {@code ibllm convert} (with the cache it records, if any). */
    public static ImageBindLLM load(Path modelGguf) {
        return load(ModelPaths.gguf(modelGguf));
    }

    /** Whether media inputs can be embedded (an ImageBind checkpoint was loaded). */
    public boolean canEmbedMedia() { return encoder.hasImageBind(); }

    /** Whether a visual cache was loaded (requests may turn it on). */
    public boolean hasCache() { return cache != null; }

    /** One line on the loaded geometry, e.g. for logs: LLaMA, bind network, cache. */
    public String summary() {
        var c = llm.llama().config();
        return "LLaMA dim " + c.dim() + ", " + c.nLayers() + " layers, " + c.nHeads() + " heads, vocabulary " + c.vocabSize()
                + ", context " + c.contextLength() + "; bind network " + llm.bindNetwork().inputDim() + " -> " + llm.bindNetwork().outputDim()
                + "; ImageBind " + (encoder.hasImageBind() ? "loaded" : "not loaded")
                + "; cache " + (cache == null ? "none" : cache.size() + " vectors");
    }

    /** The tokenizer, e.g. to count prompt tokens. */
    public SentencePieceTokenizer tokenizer() { return tokenizer; }

    /** The ImageBind embedding of each input, in order (the postprocessed head output; embeddings pass through). */
    public List<float[]> embed(List<Input> inputs) {
        Lock r = readLock();
        try {
            return embedAll(inputs);
        } finally {
            r.unlock();
        }
    }

    private List<float[]> embedAll(List<Input> inputs) {
        List<float[]> out = new ArrayList<>();
        for (Input in : inputs) out.add(encoder.embed(in));
        return out;
    }

    /** An embedding (or bind input) stored as a .npy holding one vector of the bind network's input size. */
    public float[] readEmbedding(Path npy) {
        return encoder.npyVector(npy);
    }

    /** The cache neighbours of an embedding (k best by inner product). */
    public VisualCache.Neighbours neighbours(float[] embedding, int k) {
        Lock r = readLock();
        try {
            if (cache == null) throw new IllegalStateException("no visual cache loaded (ModelPaths.withCache)");
            return cache.search(encoder.checkedVector(embedding, "query"), k);
        } finally {
            r.unlock();
        }
    }

    /** Answers {@code request}, streaming each token to {@code listener} (may be null). */
    public Result generate(Request request, TokenListener listener) {
        TokenListener out = listener == null ? TokenListener.NONE : listener;
        Lock r = readLock();
        try {
            long t0 = System.nanoTime();
            List<float[]> embeddings = embedAll(request.inputs());
            long t1 = System.nanoTime();
            Visual v = visual(request, embeddings);
            int[] promptIds = tokenizer.encode(PromptTemplate.format(request.instruction(), request.input()), true, false);
            long t2 = System.nanoTime();
            long[] firstToken = {0};
            TokenDecoder decoder = new TokenDecoder(tokenizer);
            Generator.TokenListener stream = id -> {
                if (firstToken[0] == 0) firstToken[0] = System.nanoTime();
                out.onToken(id, decoder.accept(id));
            };
            Sampling s = request.sampling();
            Generator.Result g = new Generator(llm.llama()).generate(new Generator.Request(promptIds, v.prompt(), s.maxTokens(),
                    s.sampler(), tokenizer.eosId(), request.keepLogits()), stream);
            long t3 = System.nanoTime();
            out.finish(decoder.finish());
            long prefillEnd = firstToken[0] == 0 ? t3 : firstToken[0];
            Timings t = new Timings(ms(t1 - t0), ms(t2 - t1), ms(prefillEnd - t2), ms(t3 - prefillEnd), promptIds.length, g.ids().length);
            return new Result(g.promptIds(), g.ids(), tokenizer.decode(g.ids()), g.stoppedAtEos(), v.bindInput(), v.neighbours(),
                    g.stepLogits(), t);
        } finally {
            r.unlock();
        }
    }

    /** The request's injection: its bind input (or none), the cache neighbours, the adapter prompt. */
    private record Visual(float[] bindInput, VisualCache.Neighbours neighbours, AdapterPrompt prompt) {}

    private Visual visual(Request request, List<float[]> embeddings) {
        if (request.bindInput() != null) {
            float[] b = encoder.checkedVector(request.bindInput(), "bind input");
            return new Visual(b, null, llm.adapterPrompt(b));
        }
        if (embeddings.isEmpty()) return new Visual(null, null, null);
        float[] w = new float[embeddings.size()];
        for (int i = 0; i < w.length; i++) w[i] = request.inputs().get(i).weight();
        float[] f = Mixer.mix(embeddings, w);
        VisualCache.Neighbours nb = null;
        CacheSettings c = request.cache();
        if (c.enabled()) {
            if (cache == null) throw new IllegalStateException("the request turns the cache on but no cache was loaded (ModelPaths.withCache)");
            nb = cache.search(f, c.size());
            f = cache.blend(f, c.settings());
        }
        return new Visual(f, nb, llm.adapterPrompt(f));
    }

    private Lock readLock() {
        Lock r = lock.readLock();
        r.lock();
        if (closed) {
            r.unlock();
            throw new IllegalStateException("model is closed");
        }
        return r;
    }

    private static double ms(long nanos) { return nanos / 1e6; }

    /** Waits for running requests, then unmaps every file. Idempotent; not to be called from a TokenListener (it would wait for itself). */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            if (cache != null) cache.close();
            llm.close();
            files.close();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
