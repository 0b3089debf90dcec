package io.github.relayllm.eval.grading;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What a problem's output is graded against.
 *
 * @param kind        how to grade
 * @param answers     the reference answers: any one of them counts (OlympiadBench's {@code final_answer} list),
 *                    unless {@code allRequired}
 * @param allRequired every answer must be given (a multi-part answer, OlympiadBench's {@code is_multiple_answer}
 *                    with several list items): the output's answer must equal them all as an order-free list
 * @param unit        the unit the answers are measured in, dropped from the output's answer before comparing
 *                    (OlympiadBench's {@code unit}); null when none
 * @param options     the options of a multiple-choice problem in letter order (A, B, …); empty otherwise. For
 *                    {@link GradingKind#CHOICE} the answers are option letters
 */
public record ReferenceAnswer(GradingKind kind, List<String> answers, boolean allRequired, String unit,
                              List<String> options) {

    public ReferenceAnswer {
        requireNonNull(kind, "kind");
        answers = List.copyOf(answers);
        options = List.copyOf(options);
    }

    /** One answer compared by value: the GSM8K and MATH case. */
    public static ReferenceAnswer math(String answer) {
        return new ReferenceAnswer(GradingKind.MATH, List.of(answer), false, null, List.of());
    }

    /** Whether every answer is blank: nothing can be graded right against it. */
    public boolean isEmpty() {
        return answers.stream().allMatch(String::isBlank);
    }

    /**
     * The answers as one text, as results files and messages show it: the answer itself when there is one,
     * {@code a, b} when all are required, {@code a | b} when any counts.
     */
    public String text() {
        return String.join(allRequired ? ", " : " | ", answers);
    }
}
