package io.github.relayllm.langchain4j.internal.inprocess;

import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.ContextLengthExceededException;

/** The context-room check shared by the in-process engines (llama.cpp and pure Java). Not API. */
public final class InProcessLimits {

    private InProcessLimits() {
    }

    /**
     * The most tokens an in-process engine may generate for {@code request}: its max tokens, capped by the
     * {@code room} its context of {@code contextSize} tokens leaves after the prompt.
     *
     * @throws ContextLengthExceededException when no token fits, or when exactLength asks for more than fit
     */
    public static int tokensThatFit(String backend, CompletionRequest request, int promptTokens, int room, int contextSize) {
        if (room < 1) {
            throw new ContextLengthExceededException(backend + ": the prompt has " + promptTokens + " tokens, "
                    + "which leaves no room to generate in the contextSize of " + contextSize + " tokens");
        }
        if (request.exactLength() && request.maxTokens() > room) {
            throw new ContextLengthExceededException(backend + ": exactLength asks for " + request.maxTokens()
                    + " tokens but only " + room + " fit after the " + promptTokens + "-token prompt in the "
                    + "contextSize of " + contextSize + " tokens");
        }
        return Math.min(request.maxTokens(), room);
    }
}
