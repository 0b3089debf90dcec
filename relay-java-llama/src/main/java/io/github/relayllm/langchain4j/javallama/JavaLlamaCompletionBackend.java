package io.github.relayllm.langchain4j.javallama;

import dev.langchain4j.exception.InvalidRequestException;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.StreamingCompletionHandler;
import io.github.relayllm.langchain4j.backend.TokenLogprob;
import io.github.relayllm.langchain4j.internal.inprocess.InProcessLimits;
import io.github.relayllm.langchain4j.internal.inprocess.InProcessStopStrings;
import io.github.relayllm.langchain4j.internal.inprocess.ModelResources;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import static io.github.relayllm.langchain4j.internal.Checks.ensureAtLeast;
import static io.github.relayllm.langchain4j.internal.Checks.ensureNotBlank;
import static io.github.relayllm.langchain4j.internal.Checks.getOrDefault;

/**
 * A small GGUF Llama run by a forward pass written in plain Java: the in-process backend that reports token
 * probabilities, which the training-free relay ({@link io.github.relayllm.langchain4j.CallPolicy#confidence}) needs and java-llama.cpp 4.2.0 cannot
 * give (requesting them aborts the JVM, see {@code LlamaCppCompletionBackend}).
 *
 * <pre>{@code
 * CompletionBackend student = JavaLlamaCompletionBackend.builder()
 *         .modelResource("io/github/relayllm/models/tiny-student.gguf")
 *         .build();
 * }</pre>
 *
 * <h2>Why a Java forward pass</h2>
 * The embedded models have 0.1–3M parameters: one token costs 0.2–6 MFLOP, a few milliseconds at most in a
 * JIT-compiled loop. That is 3–7 times slower than llama.cpp's SIMD kernels (about 180–850 against 1,200–2,400
 * tokens/s on 2 cores; {@code docs/benchmarks.md}, "Training-free relay (confidence)", from
 * {@code JavaLlamaBenchmark}), and fast enough for a relay over these models. A real engine with logits, such as ONNX
 * Runtime, would need an export with a KV cache and a ~40 MB native runtime; this class reads the same GGUF files as
 * the llama-cpp backend and gives the same greedy tokens (checked by {@code JavaLlamaCompletionBackendIT} on the real
 * models). It runs the {@code llama} architecture with F32/F16 tensors and the character-level tokenizer of the
 * project's tiny models; for bigger or quantised models use the llama-cpp backend or a server.
 *
 * <h2>Behaviour</h2>
 * <ul>
 *     <li>Sampling: greedy when {@link CompletionRequest#temperature()} is null or 0, else softmax at that
 *     temperature with nucleus {@code topP}, seeded by {@link CompletionRequest#seed()} (same seed, same text).</li>
 *     <li>Token probabilities are those of the model's own distribution (temperature 1), whatever the sampling
 *     temperature; {@code logprobs = k > 0} adds the k most likely tokens at each position.</li>
 *     <li>{@link StreamingCompletionHandler#acceptToken} is asked before each token joins the completion
 *     ({@link #supportsTokenRefusal()}): a refused token is neither counted nor evaluated.</li>
 *     <li>Stop strings are matched on the text as it grows; the completion ends with the matched one.
 *     {@link CompletionRequest#exactLength()} masks the end-of-generation tokens (llama.cpp's {@code ignore_eos}).</li>
 *     <li>KV cache: the tokens of the previous call stay cached; a prompt that extends them evaluates only its new
 *     tokens ({@link Completion#cachedPromptTokens()} counts the reused ones).</li>
 *     <li>Threads: one generation at a time per backend, callers served in arrival order (a fair lock). Build one
 *     backend per thread to generate in parallel (the weights are small).</li>
 * </ul>
 */
public final class JavaLlamaCompletionBackend implements CompletionBackend {

    private final JavaLlamaModel model;
    private final JavaLlamaTokenizer tokenizer;
    private final String modelName;
    private final int contextSize;
    private final ReentrantLock generationLock = new ReentrantLock(true);
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The sequence and the tokens its KV cache holds; guarded by generationLock. */
    private final JavaLlamaModel.State state;
    private int[] cachedTokens = new int[0];

    private JavaLlamaCompletionBackend(Builder builder) {
        if ((builder.modelPath == null) == (builder.modelResource == null)) {
            throw new IllegalArgumentException("exactly one of modelPath and modelResource must be set (they are "
                    + (builder.modelPath == null ? "both unset" : "both set") + ")");
        }
        JavaLlamaGguf gguf;
        String what;
        if (builder.modelPath != null) {
            what = "modelPath " + builder.modelPath.toAbsolutePath();
            if (!Files.isRegularFile(builder.modelPath)) {
                throw new IllegalArgumentException(what + " is not a file");
            }
            gguf = JavaLlamaGguf.read(builder.modelPath, what);
            this.modelName = String.valueOf(builder.modelPath.getFileName());
        } else {
            ensureNotBlank(builder.modelResource, "modelResource");
            what = "modelResource " + builder.modelResource;
            gguf = JavaLlamaGguf.read(resourceBytes(builder.modelResource, what), what);
            this.modelName = builder.modelResource.substring(builder.modelResource.lastIndexOf('/') + 1);
        }
        this.model = new JavaLlamaModel(gguf, what);
        this.tokenizer = JavaLlamaTokenizer.from(gguf, what);
        if (tokenizer.vocabularySize() != model.vocabularySize) {
            throw new IllegalArgumentException(what + " has " + tokenizer.vocabularySize() + " tokens but a "
                    + model.vocabularySize + "-row token_embd tensor");
        }
        this.contextSize = ensureAtLeast(getOrDefault(builder.contextSize, model.contextLength), 2, "contextSize");
        if (contextSize > model.contextLength) {
            throw new IllegalArgumentException("contextSize " + contextSize + " exceeds the model's trained context "
                    + "length of " + model.contextLength + " tokens (" + what + ")");
        }
        this.state = model.newState();
    }

    private static byte[] resourceBytes(String resource, String what) {
        URL url = ModelResources.find(resource, JavaLlamaCompletionBackend.class);
        if (url == null) {
            throw new IllegalArgumentException(what + " is not on the classpath");
        }
        try (InputStream stream = url.openStream()) {
            return stream.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(what + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public Completion complete(CompletionRequest request) {
        return completeStreaming(request, piece -> {
        });
    }

    @Override
    public Completion completeStreaming(CompletionRequest request, StreamingCompletionHandler handler) {
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
        int[] promptIds = tokenizer.encodePrompt(request.prompt());
        if (promptIds.length == 0) {
            throw new InvalidRequestException(name() + ": the prompt is empty and the model adds no BOS token");
        }
        int maxTokens = InProcessLimits.tokensThatFit(name(), request, promptIds.length, contextSize - promptIds.length,
                contextSize);

        // KV cache: keep the common prefix, evaluate the rest (at least the last prompt token, for its logits)
        int reused = Math.min(commonPrefix(cachedTokens, promptIds), promptIds.length - 1);
        state.truncate(reused);
        cachedTokens = Arrays.copyOf(promptIds, reused);
        float[] logits = null;
        for (int i = reused; i < promptIds.length; i++) {
            if (handler.isCancelled()) {
                throw new CancellationException(name() + ": generation cancelled");
            }
            logits = state.forward(promptIds[i]);
        }
        JavaLlamaTokenizer.IntList evaluated = new JavaLlamaTokenizer.IntList(promptIds.length + maxTokens);
        for (int id : promptIds) {
            evaluated.add(id);
        }

        Sampler sampler = new Sampler(request);
        Integer topK = request.logprobs();
        List<TokenLogprob> logprobs = topK == null ? null : new ArrayList<>();
        JavaLlamaTokenizer.Decoder decoder = tokenizer.new Decoder();
        StringBuilder text = new StringBuilder();
        int generated = 0;
        Completion.FinishReason finishReason = Completion.FinishReason.LENGTH;
        InProcessStopStrings.Match stop = null;
        try {
            while (generated < maxTokens) {
                if (handler.isCancelled()) {
                    throw new CancellationException(name() + ": generation cancelled");
                }
                if (request.exactLength()) {
                    maskEndOfGeneration(logits);
                }
                int token = sampler.sample(logits);
                if (topK != null) {
                    TokenLogprob logprob = logprob(logits, token, topK);
                    if (!handler.acceptToken(logprob)) {
                        finishReason = Completion.FinishReason.REFUSED;
                        String rest = decoder.flush(); // bytes of an unfinished character: keep what was accepted
                        append(text, rest, handler);
                        break;
                    }
                    logprobs.add(logprob);
                }
                generated++;
                if (!request.exactLength() && tokenizer.endsGeneration(token)) {
                    finishReason = Completion.FinishReason.EOS;
                    append(text, decoder.flush(), handler);
                    break;
                }
                int checked = text.length();
                text.append(decoder.next(token));
                stop = stopStrings.find(text, checked);
                if (stop != null) {
                    text.setLength(stop.end());
                }
                if (text.length() > checked) {
                    handler.onPartialText(text.substring(checked));
                }
                if (stop != null) {
                    finishReason = Completion.FinishReason.STOP;
                    break;
                }
                if (generated == maxTokens) {
                    append(text, decoder.flush(), handler);
                    break;
                }
                logits = state.forward(token);
                evaluated.add(token);
            }
        } finally {
            cachedTokens = evaluated.toArray(); // also after a cancellation: the cache holds exactly these
        }
        return Completion.builder()
                .text(text.toString())
                .generatedTokens(generated)
                .promptTokens(promptIds.length)
                .cachedPromptTokens(reused)
                .finishReason(finishReason)
                .stopString(stop != null ? stop.stopString() : null)
                .logprobs(logprobs)
                .latency(Duration.ofNanos(System.nanoTime() - start))
                .build();
    }

    private static void append(StringBuilder text, String piece, StreamingCompletionHandler handler) {
        if (!piece.isEmpty()) {
            text.append(piece);
            handler.onPartialText(piece);
        }
    }

    private void maskEndOfGeneration(float[] logits) {
        for (int id = 0; id < logits.length; id++) {
            if (tokenizer.endsGeneration(id)) {
                logits[id] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** The token's natural-log probability under the model's distribution, with the top k alternatives. */
    private TokenLogprob logprob(float[] logits, int token, int topK) {
        double max = Double.NEGATIVE_INFINITY;
        for (float logit : logits) {
            max = Math.max(max, logit);
        }
        double sum = 0;
        for (float logit : logits) {
            sum += Math.exp(logit - max);
        }
        double logSum = max + Math.log(sum);
        List<TokenLogprob> top = List.of();
        if (topK > 0) {
            Integer[] order = new Integer[logits.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Float.compare(logits[b], logits[a]));
            List<TokenLogprob> alternatives = new ArrayList<>(Math.min(topK, order.length));
            for (int i = 0; i < Math.min(topK, order.length); i++) {
                int id = order[i];
                alternatives.add(new TokenLogprob(tokenizer.piece(id), logits[id] - logSum));
            }
            top = alternatives;
        }
        return new TokenLogprob(tokenizer.piece(token), logits[token] - logSum, top);
    }

    private static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) {
            i++;
        }
        return i;
    }

    /** Greedy (argmax, the lowest id on ties) or temperature/top-p sampling with a seeded generator. */
    private static final class Sampler {

        private final double temperature;
        private final double topP;
        private final Random random;

        Sampler(CompletionRequest request) {
            this.temperature = request.temperature() == null ? 0 : request.temperature();
            this.topP = request.topP() == null ? 1 : request.topP();
            this.random = request.seed() == null ? new Random() : new Random(request.seed());
        }

        int sample(float[] logits) {
            int best = 0;
            for (int i = 1; i < logits.length; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            if (temperature <= 0) {
                return best;
            }
            double[] probabilities = new double[logits.length];
            double sum = 0;
            for (int i = 0; i < logits.length; i++) {
                probabilities[i] = Math.exp((logits[i] - logits[best]) / temperature);
                sum += probabilities[i];
            }
            Integer[] order = new Integer[logits.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(probabilities[b], probabilities[a]));
            double kept = 0;
            int count = 0;
            while (count < order.length && (count == 0 || kept < topP * sum)) {
                kept += probabilities[order[count++]];
            }
            double target = random.nextDouble() * kept;
            for (int i = 0; i < count; i++) {
                target -= probabilities[order[i]];
                if (target <= 0) {
                    return order[i];
                }
            }
            return order[count - 1];
        }
    }

    /** The prompt's tokens as this backend counts them (BOS included where the model adds one); for tests and tools. */
    int[] promptTokens(String prompt) {
        return tokenizer.encodePrompt(prompt);
    }

    @Override
    public boolean supportsExactLength() {
        return true;
    }

    @Override
    public boolean supportsTokenProbabilities() {
        return true;
    }

    @Override
    public boolean supportsTokenRefusal() {
        return true;
    }

    @Override
    public String name() {
        return "java-llama(" + modelName + ")";
    }

    @Override
    public String modelName() {
        return modelName;
    }

    /** The context window in tokens: the prompt and the generated tokens together must fit in it. */
    public int contextSize() {
        return contextSize;
    }

    /** The model's parameter count, embeddings included (tied output weights counted once). */
    public long parameterCount() {
        return model.parameterCount();
    }

    /** Waits for a running generation; later calls fail. The memory goes with the last reference. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        generationLock.lock();
        generationLock.unlock();
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {

        private Path modelPath;
        private String modelResource;
        private Integer contextSize;

        private Builder() {
        }

        /** A GGUF file on disk. Set this or {@link #modelResource(String)}. */
        public Builder modelPath(Path modelPath) {
            this.modelPath = modelPath;
            return this;
        }

        /** A GGUF file on the classpath, e.g. {@code io/github/relayllm/models/tiny-student.gguf}. */
        public Builder modelResource(String modelResource) {
            this.modelResource = modelResource;
            return this;
        }

        /** The context window in tokens; default and maximum: the model's trained context length. */
        public Builder contextSize(Integer contextSize) {
            this.contextSize = contextSize;
            return this;
        }

        /**
         * Reads the file and checks it: GGUF, {@code llama} architecture, F32/F16 tensors, character-level tokenizer.
         *
         * @throws IllegalArgumentException naming the file and what to change when it cannot run here
         */
        public JavaLlamaCompletionBackend build() {
            return new JavaLlamaCompletionBackend(this);
        }
    }
}
