package io.github.relayllm.langchain4j.backend;

import dev.langchain4j.exception.InvalidRequestException;

/**
 * A completion backend cannot generate because the prompt leaves no room in the model's context window (the
 * in-process engines check it themselves; a server says so with HTTP 400: llama-server's
 * {@code exceed_context_size_error}, OpenAI's {@code context_length_exceeded}, vLLM's "maximum context length").
 * <p>
 * On the first turn of a relay answer it means the conversation is too long for the model: shorten it or use a
 * model with a larger context. Later in the answer, when the relay's own text has filled the context, the relay
 * does not throw it: the answer ends there with {@link io.github.relayllm.langchain4j.RelayFinishReason#BACKEND_LENGTH} and keeps its text.
 */
public class ContextLengthExceededException extends InvalidRequestException {

    public ContextLengthExceededException(String message) {
        super(message);
    }

    public ContextLengthExceededException(String message, Throwable cause) {
        super(message, cause);
    }
}
