package io.github.relayllm.langchain4j.backend;

/**
 * One model that continues raw text: the unit the relay drives, once as the student and once as the teacher.
 * <p>
 * Implementations send the prompt as it is (no server-side chat template) and report what the model did in a
 * {@link Completion}. When the model stopped on one of the request's stop strings, {@link Completion#text()}
 * ends with that stop string, also for servers that cut it from their output (the backend re-appends it), so
 * the relay sees {@code <call>N</call>} whole.
 * <p>
 * Implementations are thread-safe; a backend that can run only one generation at a time (the in-process
 * engine) serialises callers and says so in its documentation.
 */
public interface CompletionBackend extends AutoCloseable {

    /**
     * Continues {@link CompletionRequest#prompt()} and blocks until the model stops.
     *
     * @throws dev.langchain4j.exception.LangChain4jException (or a subclass: {@code HttpException},
     *         {@code TimeoutException}, {@code ModelNotFoundException}, ...) with a message that names the
     *         backend, and never an API key
     */
    Completion complete(CompletionRequest request);

    /**
     * Continues the prompt and hands each piece of text to {@code handler} as the model writes it, on the calling
     * thread; blocks until the model stops and returns the same {@link Completion} that
     * {@link #complete(CompletionRequest)} would. The pieces, concatenated, equal {@link Completion#text()}
     * (a stop string a server cut is handed over as the last piece).
     * <p>
     * When {@link StreamingCompletionHandler#isCancelled()} turns true the backend stops generating as soon as
     * it can and throws {@link java.util.concurrent.CancellationException}.
     */
    Completion completeStreaming(CompletionRequest request, StreamingCompletionHandler handler);

    /**
     * Whether {@link CompletionRequest#exactLength()} is honoured (vLLM {@code min_tokens}, llama-server and the
     * in-process engine {@code ignore_eos}); others treat max tokens as an upper bound only.
     */
    default boolean supportsExactLength() {
        return false;
    }

    /** Whether {@link CompletionRequest#logprobs()} returns token probabilities from this backend. */
    default boolean supportsTokenProbabilities() {
        return false;
    }

    /**
     * Whether {@link #completeStreaming} offers each generated token to
     * {@link StreamingCompletionHandler#acceptToken(TokenLogprob)} (for requests with {@link CompletionRequest#logprobs()})
     * and stops before a refused one, returning a {@link Completion.FinishReason#REFUSED REFUSED} completion that
     * excludes it. Backends that report probabilities only with the finished completion return false; the relay then
     * cuts their completion after the fact (the tokens after the refused one were generated in vain).
     */
    default boolean supportsTokenRefusal() {
        return false;
    }

    /**
     * Whether {@link CompletionRequest#jsonSchema()} constrains the generated text on this backend; others ignore it
     * (the default).
     */
    default boolean supportsJsonSchema() {
        return false;
    }

    /** A short human-readable name for messages and metadata, e.g. {@code ollama(relayllm-1.7b)}; never a secret. */
    String name();

    /** The model name as the server knows it, or the file name of an in-process model. */
    String modelName();

    /** Releases connections or native memory; the default does nothing. */
    @Override
    default void close() {
    }
}
