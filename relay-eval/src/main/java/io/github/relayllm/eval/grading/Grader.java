package io.github.relayllm.eval.grading;

import java.util.List;
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
     * Grades an output as its reference's kind says: math answers by value (any listed answer counts, or all of
     * them as an order-free list when all are required; the reference's unit dropped from both sides), exact
     * answers by {@link ExactMatch}, multiple choice by {@link MultipleChoice}.
     */
    public static Grade grade(String output, ReferenceAnswer reference) {
        return switch (reference.kind()) {
            case EXACT -> ExactMatch.grade(output, reference.answers());
            case CHOICE -> MultipleChoice.grade(output, reference);
            case MATH -> {
                Optional<String> extracted = AnswerExtractor.extract(output);
                if (extracted.isEmpty()) {
                    yield new Grade(extracted, false);
                }
                String answer = Units.strip(extracted.get(), reference.unit());
                List<String> references = reference.answers().stream()
                        .map(item -> Units.strip(item, reference.unit())).toList();
                boolean correct = reference.allRequired()
                        ? MathEquivalence.equivalent(answer, String.join(", ", references))
                        : references.stream().anyMatch(item -> MathEquivalence.equivalent(answer, item));
                yield new Grade(extracted, correct);
            }
        };
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
