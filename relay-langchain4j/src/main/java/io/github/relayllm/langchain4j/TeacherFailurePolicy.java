package io.github.relayllm.langchain4j;

/** What the relay does when the teacher backend throws (an HTTP error, a timeout, a crashed engine). */
public enum TeacherFailurePolicy {

    /** Fail the whole request with a {@link RelayBackendException} naming the teacher backend and the round. */
    FAIL,

    /**
     * The default: drop the failing command from the student's transcript, count the round in
     * {@link RelayResponseMetadata#failedRounds()}, make no further teacher calls for this request (later commands
     * are treated as {@code <call>0</call>}: kept out of the answer, not executed) and let the student finish.
     */
    CONTINUE_WITH_STUDENT
}
