package io.github.relayllm.eval.run;

/**
 * Answers one prompt with one setup. Implementations are thread-safe: the runner calls them from several threads.
 */
public interface Solver extends AutoCloseable {

    /**
     * @param prompt the user message
     * @param sample the sample number (0 to k-1): implementations seed their sampling with it
     */
    Attempt solve(String prompt, int sample);

    /** The student's model name, or null when the setup has no student. */
    String studentModel();

    /** The teacher's model name, or null when the setup has no teacher. */
    String teacherModel();

    @Override
    default void close() {
    }
}
