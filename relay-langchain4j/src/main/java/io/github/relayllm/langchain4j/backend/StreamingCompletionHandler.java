package io.github.relayllm.langchain4j.backend;

/**
 * Receives the text of a streaming completion as it is generated. Called on the thread that called
 * {@link CompletionBackend#completeStreaming(CompletionRequest, StreamingCompletionHandler)}.
 */
@FunctionalInterface
public interface StreamingCompletionHandler {

    /** A piece of newly generated text; never empty. */
    void onPartialText(String text);

    /** Polled between pieces: when true the backend stops generating and throws {@code CancellationException}. */
    default boolean isCancelled() {
        return false;
    }

    /**
     * Offered each generated token with its probability before the token becomes part of the completion, by backends
     * whose {@link CompletionBackend#supportsTokenRefusal()} is true, for requests that ask for
     * {@link CompletionRequest#logprobs()}. Returning {@code false} refuses the token: the backend stops generating
     * at once and returns a completion with {@link Completion.FinishReason#REFUSED REFUSED} whose text, token count
     * and log-probabilities end just before the refused token (its text never reaches {@link #onPartialText}). The
     * default accepts every token.
     * <p>
     * This is how the training-free relay ({@link io.github.relayllm.langchain4j.CallPolicy#confidence}) hands an unsure position to the teacher
     * without generating any token twice.
     *
     * @param token the sampled token, its log-probability and (when asked for) the top alternatives
     * @return {@code true} to keep the token and go on, {@code false} to stop before it
     */
    default boolean acceptToken(TokenLogprob token) {
        return true;
    }
}
