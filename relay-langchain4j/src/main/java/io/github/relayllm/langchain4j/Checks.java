package io.github.relayllm.langchain4j;

import java.util.Collection;

/** Argument checks whose messages name the setting to fix. */
final class Checks {

    private Checks() {
    }

    static String ensureNotBlank(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must be set (it is " + (value == null ? "null" : "blank") + ")");
        }
        return value;
    }

    static <T> T ensureNotNull(T value, String name) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must be set (it is null)");
        }
        return value;
    }

    static int ensureAtLeast(int value, int min, String name) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + " (it is " + value + ")");
        }
        return value;
    }

    static <C extends Collection<?>> C ensureNoNulls(C values, String name) {
        for (Object value : values) {
            if (value == null) {
                throw new IllegalArgumentException(name + " must not contain null");
            }
        }
        return values;
    }

    static <T> T getOrDefault(T value, T defaultValue) {
        return value != null ? value : defaultValue;
    }

    /**
     * The most tokens an in-process engine may generate for {@code request}: its max tokens, capped by the
     * {@code room} its context of {@code contextSize} tokens leaves after the prompt.
     *
     * @throws ContextLengthExceededException when no token fits, or when exactLength asks for more than fit
     */
    static int tokensThatFit(String backend, CompletionRequest request, int promptTokens, int room, int contextSize) {
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
