package io.github.relayllm.langchain4j;

/**
 * Tells a streaming UI which model wrote each piece of the answer as it streams, e.g. to colour the teacher's spans.
 * Set one on {@link RelayStreamingChatLanguageModel.Builder#segmentListener(RelaySegmentListener)}: it hears every
 * request of the model, also those an {@code AiServices} agent makes. Called on the request's relay thread, in order
 * with the handler's callbacks: each {@link #onPartialSegment} right before the {@code onPartialResponse} with the
 * same text. Implementations shared by concurrent requests must be thread-safe.
 */
@FunctionalInterface
public interface RelaySegmentListener {

    /** A piece of answer text, the same that goes to {@code onPartialResponse}, and the model that wrote it. */
    void onPartialSegment(RelayRole role, String text);

    /** A piece of thinking, the same that goes to {@code onPartialThinking}, and the model that wrote it. */
    default void onPartialThinking(RelayRole role, String text) {
    }

    /** The student handed over to the teacher: call {@code round} (1-based) for at most {@code callTokens} tokens. */
    default void onTeacherCall(int round, int callTokens) {
    }

    /** The teacher's span of {@code round} ended; {@code failed} when the teacher failed and the student goes on. */
    default void onTeacherCallEnd(int round, boolean failed) {
    }
}
