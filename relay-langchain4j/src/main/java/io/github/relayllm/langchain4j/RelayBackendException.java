package io.github.relayllm.langchain4j;

import dev.langchain4j.exception.LangChain4jException;

/**
 * A student or teacher backend failed during a relay request. The cause is the backend's own exception
 * ({@code HttpException}, {@code TimeoutException}, ...); the message names the backend, its role and the round.
 */
public class RelayBackendException extends LangChain4jException {

    private final RelayRole role;
    private final String backendName;
    private final int round;

    public RelayBackendException(RelayRole role, String backendName, int round, String message, Throwable cause) {
        super(message, cause);
        this.role = role;
        this.backendName = backendName;
        this.round = round;
    }

    /** Which model's backend failed. */
    public RelayRole role() {
        return role;
    }

    /** {@link io.github.relayllm.langchain4j.backend.CompletionBackend#name()} of the failing backend. */
    public String backendName() {
        return backendName;
    }

    /**
     * For the teacher: the 1-based round whose call failed. For the student: the number of teacher rounds made
     * before the failing student call.
     */
    public int round() {
        return round;
    }
}
