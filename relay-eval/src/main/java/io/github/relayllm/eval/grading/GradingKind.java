package io.github.relayllm.eval.grading;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a benchmark's answers are graded. */
public enum GradingKind {
    /** The final answer compared by value ({@link MathEquivalence}): GSM8K, MATH, OlympiadBench, AIME, AMC. */
    MATH("math"),
    /** The final answer compared as normalised text ({@link ExactMatch}): Big-Bench Hard targets. */
    EXACT("exact"),
    /** The option the model chose, by letter or by the option's text ({@link MultipleChoice}): MMLU-Pro. */
    CHOICE("choice");

    private final String label;

    GradingKind(String label) {
        this.label = label;
    }

    /** The name used on the command line and in suite configs. */
    public String label() {
        return label;
    }

    public static GradingKind fromLabel(String label) {
        for (GradingKind kind : values()) {
            if (kind.label.equals(label.strip().toLowerCase(Locale.ROOT))) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown grading '" + label + "': use one of "
                + Arrays.stream(values()).map(GradingKind::label).collect(Collectors.joining(", ")));
    }
}
