package io.github.relayllm.langchain4j;

/**
 * What the relay loop reports while it runs one request: the hook the streaming model plugs into.
 * <p>
 * When {@link #streaming()} is true, the loop calls {@link io.github.relayllm.langchain4j.backend.CompletionBackend#completeStreaming} on both backends
 * and reports the answer's text piece by piece as the models write it, on the thread that called
 * {@link RelayLoop#run}; when false it calls {@link io.github.relayllm.langchain4j.backend.CompletionBackend#complete} and reports each completion's text
 * in one piece after it. The text is always what the user may see: commands and stray {@code </call>} removed, text
 * after an end marker dropped, text that might still become a command held back until it is known not to be one
 * (so concatenating every {@code onStudentText}/{@code onTeacherText} piece gives exactly the answer text of the
 * final {@code ChatResponse}, before thinking and tool calls are split off). Splitting thinking and tool calls out
 * of the stream is the listener's business. All methods have empty defaults; implementations need not be
 * thread-safe (one per request).
 */
interface RelayEvents {

    /** Reports nothing; blocking calls. */
    RelayEvents NONE = new RelayEvents() {
    };

    /** Whether to stream: backends are called with {@code completeStreaming} and text is reported as it comes. */
    default boolean streaming() {
        return false;
    }

    /** Answer text the student wrote (never empty). */
    default void onStudentText(String text) {
    }

    /** Answer text the teacher wrote (never empty). */
    default void onTeacherText(String text) {
    }

    /**
     * The student ended a completion with a command (it stays in the student's transcript, never in the answer).
     *
     * @param markup     the command as written, e.g. {@code <call>20</call>}
     * @param callTokens the tokens the teacher is asked for after clamping; 0 when no call follows (N = 0, calls
     *                   forbidden after a failure, or a budget that ends the answer)
     */
    default void onCommand(String markup, int callTokens) {
    }

    /** A teacher call starts: {@code round} is 1-based, {@code callTokens} its max tokens. */
    default void onRoundStart(int round, int callTokens) {
    }

    /** A teacher call ended; {@code failed} when the teacher threw and the relay continues with the student. */
    default void onRoundEnd(int round, boolean failed) {
    }

    /** Polled by streaming backends between pieces: true stops the request with a {@code CancellationException}. */
    default boolean isCancelled() {
        return false;
    }
}
