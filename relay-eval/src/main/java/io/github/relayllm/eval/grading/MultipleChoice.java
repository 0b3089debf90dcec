package io.github.relayllm.eval.grading;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Multiple-choice grading, MMLU-Pro style (up to ten options, A to J): the option the model chose, named by its
 * letter ({@code The answer is (C)}, {@code Answer: C}, {@code \boxed{C}}, a bare {@code C}) or by the option's text
 * ({@code The answer is 42} where option C is 42), equals the reference letter.
 * <p>
 * Only a letter in answer position counts: no letter is picked out of running text (the "I" of "I think" is not
 * option I), a letter past the last option is no choice, and an answer naming two options ({@code (A) or (B)})
 * or text that equals two options' texts is no choice.
 */
public final class MultipleChoice {

    private static final Pattern ANSWER_IS = Pattern.compile(
            "(?:answer\\s+is|answer\\s*:|final\\s+answer\\s*(?:is)?\\s*:?|correct\\s+(?:option|choice)\\s+is|"
                    + "\\bchoice\\s+is)\\s*:?\\s*", Pattern.CASE_INSENSITIVE);
    private static final Pattern LETTER = Pattern.compile(
            "^(?:option\\s+|choice\\s+)?\\(?([A-Z])\\)?(?:[.:)]?\\s*(.*))?$", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern ANOTHER_LETTER = Pattern.compile("\\([A-Z]\\)|\\b(?:or|and)\\s+\\(?[A-Z]\\b");

    private MultipleChoice() {
    }

    /** Grades an output against a reference whose answers are option letters and whose options are listed. */
    public static Grader.Grade grade(String output, ReferenceAnswer reference) {
        Optional<String> letter = extract(output, reference.options());
        boolean correct = letter.isPresent() && reference.answers().stream().anyMatch(letter.get()::equalsIgnoreCase);
        return new Grader.Grade(letter, correct);
    }

    /** The letter of the option the output chose, or empty when it chose none (or two). */
    static Optional<String> extract(String output, List<String> options) {
        if (output == null || output.isBlank()) {
            return Optional.empty();
        }
        List<String> candidates = new ArrayList<>();
        AnswerExtractor.lastBoxed(output).ifPresent(candidates::add);
        Matcher answerIs = ANSWER_IS.matcher(output);
        int end = -1;
        while (answerIs.find()) {
            end = answerIs.end();
        }
        if (end >= 0) {
            candidates.add(firstLine(output.substring(end)));
        }
        List<String> lines = output.strip().lines().filter(line -> !line.isBlank()).toList();
        candidates.add(lines.get(lines.size() - 1).strip());
        for (String candidate : candidates) {
            Optional<String> letter = choice(candidate, options);
            if (letter.isPresent()) {
                return letter;
            }
        }
        return Optional.empty();
    }

    /** The option an answer names: by letter (within the options), else by an option's text. */
    static Optional<String> choice(String answer, List<String> options) {
        String a = strip(answer);
        if (a.isEmpty()) {
            return Optional.empty();
        }
        Matcher letter = LETTER.matcher(a);
        if (letter.matches()) {
            char c = Character.toUpperCase(letter.group(1).charAt(0));
            String rest = letter.group(2) == null ? "" : strip(letter.group(2));
            boolean bare = rest.isEmpty();
            boolean known = options.isEmpty() ? c <= 'J' : c - 'A' < options.size();
            // "C" or "(C) 42": a letter in answer position; "A cat" is a sentence, not option A
            boolean labelled = a.startsWith("(") || a.length() > 1 && ".:)".indexOf(a.charAt(1)) >= 0
                    || a.toLowerCase().startsWith("option") || a.toLowerCase().startsWith("choice");
            if (known && (bare || labelled) && !ANOTHER_LETTER.matcher(rest).find()) {
                if (bare || options.isEmpty() || textMatches(rest, options.get(c - 'A'))) {
                    return Optional.of(String.valueOf(c));
                }
                if (labelled) {
                    return Optional.of(String.valueOf(c)); // "(C) something the option says otherwise": the letter wins
                }
            }
        }
        int matched = -1;
        for (int i = 0; i < options.size(); i++) {
            if (textMatches(a, options.get(i))) {
                if (matched >= 0) {
                    return Optional.empty();
                }
                matched = i;
            }
        }
        return matched < 0 ? Optional.empty() : Optional.of(String.valueOf((char) ('A' + matched)));
    }

    private static boolean textMatches(String answer, String option) {
        return ExactMatch.matches(answer, option) || MathEquivalence.equivalent(answer, option);
    }

    private static String strip(String s) {
        String t = s.strip().replace("**", "");
        while (!t.isEmpty() && ".!;,".indexOf(t.charAt(t.length() - 1)) >= 0) {
            t = t.substring(0, t.length() - 1).strip();
        }
        if (t.length() >= 2 && t.startsWith("$") && t.endsWith("$")) {
            t = t.substring(1, t.length() - 1).strip();
        }
        Matcher text = Pattern.compile("^\\\\(?:text|textbf|mathrm)\\{(.*)\\}$").matcher(t);
        return text.matches() ? text.group(1).strip() : t;
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return newline < 0 ? stripped : stripped.substring(0, newline);
    }
}
