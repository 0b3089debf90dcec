package io.github.relayllm.langchain4j.llamacpp;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.UnsupportedFeatureException;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.StreamingCompletionHandler;
import io.github.relayllm.langchain4j.internal.inprocess.InProcessLimits;
import io.github.relayllm.langchain4j.internal.inprocess.InProcessStopStrings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import static io.github.relayllm.langchain4j.internal.Checks.ensureAtLeast;
import static io.github.relayllm.langchain4j.internal.Checks.ensureNotBlank;
import static io.github.relayllm.langchain4j.internal.Checks.getOrDefault;

/**
 * The embedded default engine: a GGUF model run in this process by java-llama.cpp ({@code de.kherud:llama} 4.2.0,
 * llama.cpp b4916, CPU). No server, no download: the model is a file or a classpath resource.
 *
 * <pre>{@code
 * CompletionBackend student = LlamaCppCompletionBackend.builder()
 *         .modelResource("io/github/relayllm/models/tiny-relay-student.gguf")
 *         .build();
 * }</pre>
 *
 * <h2>Threads</h2>
 * One generation runs at a time per loaded model: callers queue on a fair lock and are served in arrival order,
 * each with a correct answer. Load two backends (two copies in memory) to generate in parallel.
 *
 * <h2>KV cache</h2>
 * The engine keeps the previous call's tokens in its KV cache; a prompt that extends the previous prompt (as the
 * relay's rounds do) evaluates only the new tokens. {@link Completion#cachedPromptTokens()} is this backend's own
 * count of the prompt tokens it found in the cache (the engine does not report it).
 *
 * <h2>Limits of java-llama.cpp 4.2.0 this backend contains</h2>
 * <ul>
 *     <li>Token probabilities would abort the JVM (any {@code n_probs > 0}): a request with
 *     {@link CompletionRequest#logprobs()} fails with {@link UnsupportedFeatureException} instead, and
 *     {@link #supportsTokenProbabilities()} is false.</li>
 *     <li>A JSON schema the engine cannot convert to a grammar would abort the JVM too: {@link
 *     CompletionRequest#jsonSchema()} is checked against a subset known to convert (see {@code LlamaCppJsonSchemas})
 *     and anything else fails with {@link UnsupportedFeatureException} naming the part to change.</li>
 *     <li>A model loaded after any generation ran in the same JVM gives wrong output when its prompt cache is
 *     reused: such a late-loaded backend runs without the prompt cache (every call evaluates its whole prompt) and
 *     logs a warning. <b>Build every backend before the first generation</b> to keep the cache.</li>
 *     <li>{@link #close()} frees little: the engine keeps most of a model's memory until the JVM exits (about
 *     30 MB resident per load of the 1M-parameter tiny teacher, 230 MB of a 50M-parameter model), so load models
 *     once and keep them.</li>
 *     <li>The engine starts a non-daemon thread per model that {@link #close()} does not end, so the JVM does not
 *     exit when {@code main} returns: <b>command-line programs must end with {@code System.exit}</b>.</li>
 *     <li>More than one generation thread makes generation much slower on small machines (5 to 15 times on 2
 *     cores): {@link Builder#threads(Integer)} defaults to 1 and {@link Builder#batchThreads(Integer)} to 2.</li>
 *     <li>The engine writes ~240 log lines per load to stdout: they are off unless {@link Builder#engineLog(Boolean)}.
 *     It extracts its native library to a fixed file name in {@code java.io.tmpdir}, which JVMs running in
 *     parallel overwrite: unless {@code -Dde.kherud.llama.tmpdir} is set, each process gets its own folder.</li>
 * </ul>
 *
 * <h2>Sampling</h2>
 * Greedy (the same prompt gives the same text) unless the request sets a {@link CompletionRequest#temperature()}
 * above 0; then {@link CompletionRequest#topP()} and {@link CompletionRequest#seed()} apply, and without a seed each
 * call draws a new one.
 *
 * <h2>What a completion reports</h2>
 * Stop strings are matched by this backend as the text streams (the engine would cut them and hide which one
 * matched), so a {@link Completion.FinishReason#STOP STOP} completion ends with its stop string. The engine
 * exposes no token ids: generated tokens are counted one per streamed piece (the end-of-sequence token included;
 * exact for {@link Completion.FinishReason#LENGTH LENGTH}, and for other pieces whose UTF-8 is whole), prompt tokens
 * with the engine's own tokenizer.
 */
public final class LlamaCppCompletionBackend implements CompletionBackend {

    private static final Logger log = LoggerFactory.getLogger(LlamaCppCompletionBackend.class);

    static final int DEFAULT_THREADS = 1;
    static final int DEFAULT_BATCH_THREADS = 2;
    static final int DEFAULT_MAX_CONTEXT_SIZE = 4096;

    private final LlamaModel model;
    private final String modelName;
    private final int contextSize;
    private final boolean addBosToken;
    private final boolean promptCache;
    private final ReentrantLock generationLock = new ReentrantLock(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** What this backend knows the engine's KV cache holds after the last call; guarded by generationLock. */
    private int[] cachedTokens = new int[0];

    private LlamaCppCompletionBackend(Builder builder) {
        Path file = modelFile(builder);
        String what = builder.modelPath != null
                ? "modelPath " + file.toAbsolutePath()
                : "modelResource " + builder.modelResource + " (copied to " + file + ")";
        GgufHeader header = GgufHeader.read(file, what);
        this.modelName = builder.modelResource != null
                ? builder.modelResource.substring(builder.modelResource.lastIndexOf('/') + 1)
                : String.valueOf(file.getFileName());
        int threads = ensureAtLeast(getOrDefault(builder.threads, DEFAULT_THREADS), 1, "threads");
        int batchThreads = ensureAtLeast(getOrDefault(builder.batchThreads, DEFAULT_BATCH_THREADS), 1, "batchThreads");
        int trainedContext = header.contextLength() > 0 ? header.contextLength() : DEFAULT_MAX_CONTEXT_SIZE;
        this.contextSize = ensureAtLeast(getOrDefault(builder.contextSize,
                Math.min(trainedContext, DEFAULT_MAX_CONTEXT_SIZE)), 8, "contextSize");
        this.addBosToken = header.addBosToken();

        ModelParameters parameters = new ModelParameters()
                .setModel(file.toAbsolutePath().toString())
                .setThreads(threads)
                .setThreadsBatch(batchThreads)
                .setCtxSize(contextSize)
                .setParallel(1)
                .disableContextShift();
        if (!Boolean.TRUE.equals(builder.engineLog)) {
            parameters.disableLog();
        }
        LlamaCppEngine.prepareNativeLibrary();
        try {
            this.model = new LlamaModel(parameters);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + " cannot be loaded by llama.cpp: " + e.getMessage(), e);
        }
        // checked after loading: a generation that started while this model loaded makes it late too
        boolean lateLoaded = LlamaCppEngine.inferenceStarted();
        this.promptCache = getOrDefault(builder.promptCache, true) && !lateLoaded;
        if (lateLoaded) {
            log.warn("{} was loaded after a generation already ran in this JVM: it runs without the prompt cache "
                    + "(java-llama.cpp 4.2.0 gives wrong output otherwise). Build every llama-cpp backend before the "
                    + "first generation to keep the cache.", name());
        }
    }

    private static Path modelFile(Builder builder) {
        if ((builder.modelPath == null) == (builder.modelResource == null)) {
            throw new IllegalArgumentException("exactly one of modelPath and modelResource must be set (they are "
                    + (builder.modelPath == null ? "both unset" : "both set") + ")");
        }
        if (builder.modelPath != null) {
            return builder.modelPath;
        }
        ensureNotBlank(builder.modelResource, "modelResource");
        return LlamaCppEngine.copyOfResource(builder.modelResource);
    }

    @Override
    public Completion complete(CompletionRequest request) {
        return completeStreaming(request, piece -> {
        });
    }

    @Override
    public Completion completeStreaming(CompletionRequest request, StreamingCompletionHandler handler) {
        if (request.logprobs() != null) {
            throw new UnsupportedFeatureException(name() + " cannot report token probabilities: java-llama.cpp 4.2.0 "
                    + "aborts the JVM when they are requested. Leave logprobs unset, or use an ollama or openai backend "
                    + "for a policy that needs them.");
        }
        InProcessStopStrings stopStrings = new InProcessStopStrings(request.stopStrings());
        long start = System.nanoTime();
        try {
            generationLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException(name() + ": interrupted while waiting for the model");
        }
        try {
            if (closed.get()) {
                throw new IllegalStateException(name() + " is closed");
            }
            return generate(request, stopStrings, handler, start);
        } finally {
            generationLock.unlock();
        }
    }

    private Completion generate(CompletionRequest request, InProcessStopStrings stopStrings,
                                StreamingCompletionHandler handler, long start) {
        int[] promptIds = promptTokens(request.prompt());
        int promptTokens = promptIds.length;
        // the last position stays free: llama.cpp stops one token early when generation reaches the context's end
        int maxTokens = InProcessLimits.tokensThatFit(name(), request, promptTokens, contextSize - promptTokens - 1,
                contextSize);
        int cachedPromptTokens = promptCache ? Math.min(commonPrefix(cachedTokens, promptIds), promptTokens - 1) : 0;

        InferenceParameters parameters = new InferenceParameters(request.prompt())
                .setNPredict(maxTokens)
                .setIgnoreEos(request.exactLength())
                .setCachePrompt(promptCache);
        // never setNProbs: any value above 0 aborts the JVM in 4.2.0
        // greedy unless asked: left unset, llama.cpp samples at its own defaults (temperature 0.8, a new random seed
        // per call), and one request gave a different answer on each run
        parameters.setTemperature(request.temperature() == null ? 0f : request.temperature().floatValue());
        if (request.topP() != null) {
            parameters.setTopP(request.topP().floatValue());
        }
        if (request.seed() != null) {
            parameters.setSeed(request.seed());
        }
        if (request.jsonSchema() != null) {
            // checked first: llama.cpp's converter aborts the JVM on a schema it cannot read
            parameters.setGrammar(LlamaModel.jsonSchemaToGrammar(LlamaCppJsonSchemas.check(request.jsonSchema(), name())));
        }

        StringBuilder text = new StringBuilder();
        int generatedTokens = 0;
        boolean lastPieceEmpty = false;
        InProcessStopStrings.Match stop = null;
        boolean finished = false;
        cachedTokens = new int[0]; // unknown until this call ends normally
        LlamaCppEngine.markInferenceStarted();
        LlamaIterator outputs;
        try {
            outputs = model.generate(parameters).iterator();
        } catch (RuntimeException e) {
            throw new LangChain4jException(name() + " failed to start generating: " + e.getMessage(), e);
        }
        try {
            while (outputs.hasNext()) {
                if (handler.isCancelled() || Thread.currentThread().isInterrupted()) {
                    throw new CancellationException(name() + ": generation cancelled");
                }
                LlamaOutput output = next(outputs);
                String piece = output.text;
                boolean last = !outputs.hasNext(); // the engine's final message, not a token
                if (!last) {
                    generatedTokens += tokensIn(piece);
                    lastPieceEmpty = piece.isEmpty();
                }
                if (piece.isEmpty()) {
                    continue;
                }
                int checked = text.length();
                text.append(piece);
                stop = stopStrings.find(text, checked);
                if (stop != null) {
                    text.setLength(stop.end());
                }
                if (text.length() > checked) {
                    handler.onPartialText(text.substring(checked));
                }
                if (stop != null) {
                    break;
                }
            }
            finished = !outputs.hasNext() || stop != null;
        } finally {
            if (outputs.hasNext()) {
                outputs.cancel(); // a stop string, a cancellation or a failure: the engine stops generating
            }
        }

        Completion.FinishReason finishReason;
        if (stop != null) {
            finishReason = Completion.FinishReason.STOP;
        } else if (lastPieceEmpty) {
            // only a control token renders empty, and the engine stops early only on end-of-generation ones
            finishReason = Completion.FinishReason.EOS;
        } else {
            finishReason = Completion.FinishReason.LENGTH;
            generatedTokens = maxTokens; // pieces can join tokens (bytes of one character): the limit is exact
        }
        if (finished && promptCache) {
            // the token that ended a LENGTH or STOP call may not have been evaluated yet; EOS renders no token
            int[] generated = model.encode(text.toString());
            int evaluated = finishReason == Completion.FinishReason.EOS ? generated.length : Math.max(0, generated.length - 1);
            cachedTokens = concat(promptIds, Arrays.copyOf(generated, evaluated));
        }
        return Completion.builder()
                .text(text.toString())
                .generatedTokens(generatedTokens)
                .promptTokens(promptTokens)
                .cachedPromptTokens(cachedPromptTokens)
                .finishReason(finishReason)
                .stopString(stop != null ? stop.stopString() : null)
                .latency(Duration.ofNanos(System.nanoTime() - start))
                .build();
    }

    private LlamaOutput next(LlamaIterator outputs) {
        try {
            return outputs.next();
        } catch (RuntimeException e) {
            throw new LangChain4jException(name() + " failed while generating: " + e.getMessage(), e);
        }
    }

    /** The engine's tokens for {@code text} (special tokens parsed, no BOS); for tests and tools. */
    int[] encode(String text) {
        return model.encode(text);
    }

    /** The prompt as the engine tokenises it: with parse_special, plus BOS where the model adds one. */
    private int[] promptTokens(String prompt) {
        int[] ids = model.encode(prompt);
        if (!addBosToken) {
            return ids;
        }
        int[] withBos = new int[ids.length + 1];
        withBos[0] = -1; // BOS: its id does not matter for counting and prefix matching, only its place
        System.arraycopy(ids, 0, withBos, 1, ids.length);
        return withBos;
    }

    /**
     * Tokens behind one streamed piece: one, except when the engine held back the bytes of an incomplete UTF-8
     * character and sent them with the token that completed it; such non-ASCII pieces are counted as the
     * tokenizer encodes them.
     */
    private int tokensIn(String piece) {
        for (int i = 0; i < piece.length(); i++) {
            if (piece.charAt(i) >= 0x80) {
                return Math.max(1, model.encode(piece.replace('\uFFFD', '?')).length);
            }
        }
        return 1;
    }

    private static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Override
    public boolean supportsExactLength() {
        return true;
    }

    @Override
    public boolean supportsTokenProbabilities() {
        return false;
    }

    @Override
    public boolean supportsJsonSchema() {
        return true;
    }

    @Override
    public String name() {
        return "llama-cpp(" + modelName + ")";
    }

    @Override
    public String modelName() {
        return modelName;
    }

    /** The context window in tokens: the prompt and the generated tokens together must fit in it. */
    public int contextSize() {
        return contextSize;
    }

    /**
     * Whether calls reuse the engine's KV cache for a prompt that extends the previous one. False when
     * {@link Builder#promptCache(Boolean)} turned it off, or when this model was loaded after a generation had
     * already run in this JVM (java-llama.cpp 4.2.0 gives wrong output then).
     */
    public boolean promptCacheEnabled() {
        return promptCache;
    }

    /**
     * Waits for a running generation, then releases the model. Idempotent. java-llama.cpp 4.2.0 frees little here:
     * most of the model's native memory and its non-daemon engine thread stay until the JVM exits (see the class
     * documentation: command-line programs must call {@code System.exit}).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        generationLock.lock();
        try {
            model.close();
        } finally {
            generationLock.unlock();
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {

        private Path modelPath;
        private String modelResource;
        private Integer threads;
        private Integer batchThreads;
        private Integer contextSize;
        private Boolean promptCache;
        private Boolean engineLog;

        private Builder() {
        }

        /** A GGUF file on disk. Set this or {@link #modelResource(String)}. */
        public Builder modelPath(Path modelPath) {
            this.modelPath = modelPath;
            return this;
        }

        /**
         * A GGUF file on the classpath, e.g. {@code io/github/relayllm/models/tiny-student.gguf}; copied once per
         * process to a temp file (deleted on exit) because the engine reads files only.
         */
        public Builder modelResource(String modelResource) {
            this.modelResource = modelResource;
            return this;
        }

        /**
         * Threads that generate tokens; default 1. Two threads made the tiny teacher generate 5 to 7 times slower on
         * 2 cores ({@code docs/benchmarks.md}, "In-process engine").
         */
        public Builder threads(Integer threads) {
            this.threads = threads;
            return this;
        }

        /** Threads that evaluate prompts (batches of tokens); default 2. */
        public Builder batchThreads(Integer batchThreads) {
            this.batchThreads = batchThreads;
            return this;
        }

        /**
         * The context window in tokens (prompt plus generated tokens); default: the model's trained context length
         * from its GGUF header, at most 4096.
         */
        public Builder contextSize(Integer contextSize) {
            this.contextSize = contextSize;
            return this;
        }

        /**
         * Whether a prompt that extends the previous one reuses the KV cache; default true. It is off regardless for
         * a model loaded after a generation already ran in this JVM (see {@link #promptCacheEnabled()}).
         */
        public Builder promptCache(Boolean promptCache) {
            this.promptCache = promptCache;
            return this;
        }

        /** When true, llama.cpp's own log (~240 lines per load, then per request) goes to stdout; default false. */
        public Builder engineLog(Boolean engineLog) {
            this.engineLog = engineLog;
            return this;
        }

        /**
         * Checks the file's GGUF header, then loads the model.
         *
         * @throws IllegalArgumentException naming the file when it is missing, truncated or not GGUF
         */
        public LlamaCppCompletionBackend build() {
            return new LlamaCppCompletionBackend(this);
        }
    }
}
