package io.github.relayllm.eval.grading;

import java.util.Optional;

/** Grades one model output against a reference answer: extract the final answer, then compare by value. */
public final class Grader {

    /** The result of grading one output: the answer found in it (empty when none) and whether it is right. */
    public record Grade(Optional<String> extracted, boolean correct) {
    }

    private Grader() {
    }

    public static Grade grade(String output, String reference) {
        Optional<String> extracted = AnswerExtractor.extract(output);
        boolean correct = extracted.isPresent() && MathEquivalence.equivalent(extracted.get(), reference);
        return new Grade(extracted, correct);
    }

    /**
     * The reference answer in a dataset's answer field: the text after the last {@code ####} (GSM8K), else the
     * last {@code \boxed{…}} (a MATH solution), else the whole field (MATH's {@code answer}).
     */
    public static String referenceAnswer(String answerField) {
        if (answerField == null) {
            return "";
        }
        int hashes = answerField.lastIndexOf("####");
        if (hashes >= 0) {
            return answerField.substring(hashes + 4).strip().lines().findFirst().orElse("").strip();
        }
        return AnswerExtractor.lastBoxed(answerField).orElse(answerField.strip());
    }
}
