package io.github.relayllm.eval.data;

import io.github.relayllm.eval.grading.ReferenceAnswer;

import static java.util.Objects.requireNonNull;

/**
 * One dataset problem: its id (the dataset's id field, else its 0-based record number), the question sent to
 * the model, the reference answer it is graded against (as text, and as {@link ReferenceAnswer}: the grading kind,
 * every listed answer, the unit, the options), and the dataset's worked solution kept for gold checks (null when the
 * dataset has none: the gold check then writes the reference the usual ways).
 */
public record Problem(String id, int index, String question, String reference, String goldSolution,
                      ReferenceAnswer answer) {

    public Problem {
        requireNonNull(id, "id");
        requireNonNull(question, "question");
        requireNonNull(reference, "reference");
        requireNonNull(answer, "answer");
    }

    /** A problem with one answer graded by value. */
    public Problem(String id, int index, String question, String reference, String goldSolution) {
        this(id, index, question, reference, goldSolution, ReferenceAnswer.math(reference));
    }
}
