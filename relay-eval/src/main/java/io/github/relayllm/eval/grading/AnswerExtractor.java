package io.github.relayllm.eval.grading;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the final answer in a model's output, trying in order: the last {@code \boxed{…}} (or {@code \fbox{…}}, braces
 * matched, so {@code \boxed{\frac{1}{2}}} gives {@code \frac{1}{2}}), the text after the last {@code ####}
 * (GSM8K), and the text after the last "the answer is" (also "final answer is", "answer:").
 */
public final class AnswerExtractor {

    private static final Pattern ANSWER_IS = Pattern.compile(
            "(?:the\\s+(?:final\\s+)?answer\\s+is|final\\s+answer\\s*(?:is)?\\s*:?|answer\\s*:)\\s*:?\\s*",
            Pattern.CASE_INSENSITIVE);

    private AnswerExtractor() {
    }

    /** The final answer in {@code output}, or empty when none of the three forms is there. */
    public static Optional<String> extract(String output) {
        if (output == null || output.isBlank()) {
            return Optional.empty();
        }
        Optional<String> boxed = lastBoxed(output);
        if (boxed.isPresent()) {
            return boxed;
        }
        int hashes = output.lastIndexOf("####");
        if (hashes >= 0) {
            String tail = firstLine(output.substring(hashes + 4));
            if (!tail.isEmpty()) {
                return Optional.of(trimSentence(tail));
            }
        }
        Matcher matcher = ANSWER_IS.matcher(output);
        int end = -1;
        while (matcher.find()) {
            end = matcher.end();
        }
        if (end >= 0) {
            String tail = trimSentence(firstSentence(output.substring(end)));
            if (!tail.isEmpty()) {
                return Optional.of(tail);
            }
        }
        return Optional.empty();
    }

    /** The content of the last complete {@code \boxed{…}} or {@code \fbox{…}}; {@code \boxed 5} is read too. */
    static Optional<String> lastBoxed(String text) {
        int from = text.length();
        while (true) {
            int boxed = text.lastIndexOf("\\boxed", from);
            int fbox = text.lastIndexOf("\\fbox", from);
            int at = Math.max(boxed, fbox);
            if (at < 0) {
                return Optional.empty();
            }
            int keywordEnd = at + (at == boxed ? "\\boxed".length() : "\\fbox".length());
            int i = keywordEnd;
            while (i < text.length() && text.charAt(i) == ' ') {
                i++;
            }
            if (i < text.length() && text.charAt(i) == '{') {
                int close = matchingBrace(text, i);
                if (close > 0 && !text.substring(i + 1, close).isBlank()) {
                    return Optional.of(text.substring(i + 1, close).strip());
                }
            } else if (i > keywordEnd && i < text.length()) {
                // "\boxed 5": the argument runs to the next space or dollar sign
                int end = i;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end)) && text.charAt(end) != '$') {
                    end++;
                }
                if (end > i) {
                    return Optional.of(text.substring(i, end));
                }
            }
            // a truncated box (the output ran out of tokens): try the one before
            if (at == 0) {
                return Optional.empty();
            }
            from = at - 1;
        }
    }

    private static int matchingBrace(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '{' || text.charAt(i + 1) == '}')) {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static String firstLine(String text) {
        String stripped = text.strip();
        int newline = stripped.indexOf('\n');
        return (newline < 0 ? stripped : stripped.substring(0, newline)).strip();
    }

    /** Up to the end of the line or a sentence end (". " followed by a capital letter, not a decimal point). */
    private static String firstSentence(String text) {
        String line = firstLine(text);
        Matcher end = Pattern.compile("[.!?]\\s+(?=[A-Z])").matcher(line);
        return end.find() ? line.substring(0, end.start()) : line;
    }

    private static String trimSentence(String answer) {
        String s = answer.strip();
        while (!s.isEmpty() && ".!?;:,".indexOf(s.charAt(s.length() - 1)) >= 0) {
            s = s.substring(0, s.length() - 1).strip();
        }
        if (s.length() >= 2 && s.startsWith("$") && s.endsWith("$")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        if (s.toLowerCase(Locale.ROOT).startsWith("<|")) {
            return "";
        }
        int special = s.indexOf("<|");
        return special > 0 ? s.substring(0, special).strip() : s;
    }
}
