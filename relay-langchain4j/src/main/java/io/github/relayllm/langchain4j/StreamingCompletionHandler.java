package io.github.relayllm.langchain4j;

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
}
