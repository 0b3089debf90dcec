package io.github.relayllm.eval.grading;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Exact-match grading as Big-Bench Hard means it: the final answer ("So the answer is (A).", a {@code \boxed{…}},
 * or a one-line answer) equals a target after normalising case, spacing, markdown emphasis, a closing full stop and
 * quotes. Targets are option labels ({@code (A)}, also given as {@code A} or {@code (A) the option's text}), words
 * ({@code True}, {@code valid}, {@code Yes}), numbers ({@code -12}, compared by value: {@code -12.0} counts), bracket
 * sequences ({@code ] ) }}, spaces between brackets ignored) or word lists ({@code apple banana}).
 * <p>
 * Nothing is read in: {@code invalid} is not {@code valid}, {@code not True} is not {@code True}, and an answer
 * that names two options ({@code (A) or (B)}) matches neither.
 */
public final class ExactMatch {

    private static final Pattern LABEL = Pattern.compile("^\\(([a-z])\\)$");
    private static final Pattern LABEL_THEN_TEXT = Pattern.compile("^\\(?([a-z])\\)\\s+(.+)$");
    private static final Pattern ANOTHER_LABEL = Pattern.compile("\\([a-z]\\)|\\b(?:or|and)\\s+\\(?[a-z]\\b");
    private static final Pattern NUMBER = Pattern.compile("^[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)$");
    private static final Pattern TEXT_COMMAND = Pattern.compile("^\\\\(?:text|textbf|mathrm|mathbf)\\{(.*)\\}$");

    private ExactMatch() {
    }

    /** Grades an output against targets of which any one counts. */
    public static Grader.Grade grade(String output, List<String> targets) {
        Optional<String> extracted = extract(output);
        boolean correct = extracted.isPresent()
                && targets.stream().anyMatch(target -> matches(extracted.get(), target));
        return new Grader.Grade(extracted, correct);
    }

    /**
     * The final answer: as {@link AnswerExtractor} finds it, else the output's last non-blank line; only the text
     * before a next few-shot question ({@code \nQ:}) is read.
     */
    static Optional<String> extract(String output) {
        if (output == null || output.isBlank()) {
            return Optional.empty();
        }
        int nextQuestion = output.indexOf("\nQ:");
        if (nextQuestion > 0) {
            output = output.substring(0, nextQuestion); // a model that went on with the next few-shot question
        }
        Optional<String> marked = AnswerExtractor.extract(output);
        if (marked.isPresent()) {
            return marked;
        }
        List<String> lines = output.strip().lines().filter(line -> !line.isBlank()).toList();
        String last = lines.get(lines.size() - 1).strip();
        int special = last.indexOf("<|");
        if (special >= 0) {
            last = last.substring(0, special).strip();
        }
        return last.isEmpty() ? Optional.empty() : Optional.of(last);
    }

    /** Whether a predicted answer is the target, after normalisation. */
    public static boolean matches(String predicted, String target) {
        if (predicted == null || target == null) {
            return false;
        }
        String p = normalize(predicted);
        String t = normalize(target);
        if (p.isEmpty() || t.isEmpty()) {
            return false;
        }
        if (p.equals(t)) {
            return true;
        }
        Matcher label = LABEL.matcher(t);
        if (label.matches()) {
            String letter = label.group(1);
            if (p.equals(letter)) {
                return true;
            }
            Matcher withText = LABEL_THEN_TEXT.matcher(p);
            return withText.matches() && withText.group(1).equals(letter)
                    && !ANOTHER_LABEL.matcher(withText.group(2)).find();
        }
        if (NUMBER.matcher(p).matches() && NUMBER.matcher(t).matches()) {
            return new BigDecimal(p).compareTo(new BigDecimal(t)) == 0;
        }
        return false;
    }

    /**
     * Lower case, one space between words and none next to a bracket, without markdown emphasis, math dollars,
     * {@code \text{…}}, surrounding quotes or a closing full stop; thousands separators of a number removed.
     */
    static String normalize(String answer) {
        String s = answer.strip().replace("**", "").replace("`", "");
        boolean changed = true;
        while (changed) {
            changed = false;
            String before = s;
            s = s.strip();
            while (s.endsWith(".") || s.endsWith("!")) {
                s = s.substring(0, s.length() - 1).strip();
            }
            if (s.length() >= 2 && (s.startsWith("$") && s.endsWith("$") || s.startsWith("\"") && s.endsWith("\"")
                    || s.startsWith("'") && s.endsWith("'"))) {
                s = s.substring(1, s.length() - 1);
            }
            Matcher text = TEXT_COMMAND.matcher(s);
            if (text.matches()) {
                s = text.group(1);
            }
            changed = !s.equals(before);
        }
        s = s.replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
        s = s.replaceAll("(?<=[()\\[\\]{}<>])\\s+(?=[()\\[\\]{}<>])", "");
        if (s.matches("[-+]?\\d{1,3}(,\\d{3})+(\\.\\d+)?")) {
            s = s.replace(",", "");
        }
        return s;
    }
}
