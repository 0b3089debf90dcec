package io.github.relayllm.eval.grading;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A reference answer written the usual ways a model writes a final answer, for datasets without a solution text:
 * the gold check grades each of these against the reference. Numbers are written plainly ({@code 27} for AMC's
 * {@code 27.0}, {@code 25} for AIME's {@code "025"}), math delimiters dropped ({@code \frac{1}{2}} for OlympiadBench's
 * {@code $\frac{1}{2}$}).
 */
public final class GoldForms {

    private GoldForms() {
    }

    /** The outputs that should all grade correct against {@code reference}; the first is the one to show. */
    public static List<String> of(ReferenceAnswer reference) {
        List<String> forms = new ArrayList<>();
        switch (reference.kind()) {
            case MATH -> {
                String answer = reference.allRequired()
                        ? String.join(", ", reference.answers().stream().map(GoldForms::written).toList())
                        : written(reference.answers().get(0));
                forms.add("So the final answer is $\\boxed{" + answer + "}$.");
                forms.add("The answer is $" + answer + "$.");
                if (!answer.contains("\n")) {
                    forms.add("#### " + answer);
                }
            }
            case EXACT -> {
                String target = reference.answers().get(0);
                forms.add("Let's think step by step. So the answer is " + target + ".");
                forms.add(target);
            }
            case CHOICE -> {
                String letter = reference.answers().get(0);
                forms.add("The answer is (" + letter + ").");
                forms.add("Answer: " + letter);
                forms.add("\\boxed{" + letter + "}");
                int index = letter.charAt(0) - 'A';
                if (index >= 0 && index < reference.options().size()) {
                    String text = reference.options().get(index);
                    long same = reference.options().stream().filter(text::equals).count();
                    if (same == 1 && !text.isBlank()) {
                        forms.add("The answer is " + text + ".");
                    }
                }
            }
        }
        return forms;
    }

    /** An answer as a model would write it: math dollars dropped, a plain number without padding or trailing zeros. */
    static String written(String answer) {
        String s = answer.strip();
        while (s.length() >= 2 && s.startsWith("$") && s.endsWith("$")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        if (s.matches("[-+]?\\d+(\\.\\d+)?")) {
            s = new BigDecimal(s).stripTrailingZeros().toPlainString();
        }
        return s;
    }
}
