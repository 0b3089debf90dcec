package io.github.relayllm.langchain4j;

/** Why a relay answer ended, in the relay's terms ({@link RelayResponseMetadata#relayFinishReason()}). */
public enum RelayFinishReason {
    /** The student wrote its end-of-sequence: the normal end. */
    STUDENT_DONE,
    /** The teacher wrote end-of-sequence inside its span (or, with {@link CallPolicy#teacherOnly()}, its answer). */
    TEACHER_EOS,
    /** {@code maxTokens} (student + teacher generated tokens, or the request's max output tokens) was spent. */
    MAX_TOKENS,
    /** The student asked for a teacher call after {@code maxRounds} calls were made. */
    MAX_ROUNDS,
    /** The student asked for a teacher call after {@code maxTeacherTokens} teacher tokens were spent. */
    MAX_TEACHER_TOKENS,
    /** A backend stopped at a length limit of its own (e.g. its context size) before the relay's budget was spent. */
    BACKEND_LENGTH
}
