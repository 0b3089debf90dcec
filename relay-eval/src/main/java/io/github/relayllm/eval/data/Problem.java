package io.github.relayllm.eval.data;

import static java.util.Objects.requireNonNull;

/**
 * One dataset problem: its id (the dataset's id field, else its 0-based record number), the question sent to
 * the model, the reference answer it is graded against, and the raw answer field (a worked solution for GSM8K and
 * MATH) kept for gold checks.
 */
public record Problem(String id, int index, String question, String reference, String goldSolution) {

    public Problem {
        requireNonNull(id, "id");
        requireNonNull(question, "question");
        requireNonNull(reference, "reference");
    }
}
