package io.github.relayllm.langchain4j;

/** Which of the two relay models wrote a piece of text. */
public enum RelayRole {
    /** The small model that drives the answer and writes the commands. */
    STUDENT,
    /** The large model that writes the spans the student asks for. */
    TEACHER
}
