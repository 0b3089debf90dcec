package io.github.relayllm.eval.grading;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites an answer into a canonical text form: LaTeX spacing, sizing and font commands removed, units and degree
 * signs dropped, {@code \dfrac}/{@code \tfrac} made {@code \frac}, thousands separators removed. What is left is
 * either compared as text or parsed as an expression by {@link MathExpression}.
 */
final class LatexNormalizer {

    private static final Pattern THOUSANDS = Pattern.compile("-?\\d{1,3}(,\\d{3})+(\\.\\d+)?");
    private static final Pattern TEXT_COMMAND = Pattern.compile("\\\\(?:text|mbox|textnormal|textrm|mathrm)\\s*\\{([^{}]*)\\}");
    private static final Pattern STYLE_COMMAND = Pattern.compile("\\\\(?:textbf|textit|mathbf|mathit|mathsf|boldsymbol|bf|operatorname)\\s*\\{([^{}]*)\\}");
    private static final Pattern UNIT_AFTER_VALUE = Pattern.compile(
            "^(.*?[0-9}a-zA-Z)])\\s*\\\\(?:text|mbox|mathrm)\\s*\\{\\s*[a-zA-Z][a-zA-Z .]*\\}(\\^\\{?[23]\\}?)?\\s*$");
    private static final Pattern WORDS_AFTER_NUMBER = Pattern.compile("^(-?[0-9][0-9.,]*)\\s+[a-zA-Z][a-zA-Z .]*(\\^\\{?[23]\\}?)?$");
    private static final Pattern MIXED_NUMBER = Pattern.compile("^(-?)(\\d+)\\s*\\\\frac\\{(\\d+)\\}\\{(\\d+)\\}$");
    private static final Pattern CHOICE = Pattern.compile("^\\(?([A-Ea-e])\\)?$");
    private static final Pattern UNITS_WORDS = Pattern.compile(
            "\\s*(degrees?|cents?|dollars?|units?|square units|sq units|inches|inch|feet|foot|cm|meters?|km|hours?|minutes?|seconds?|days?|years?)(\\^\\{?[23]\\}?)?\\s*$");

    private LatexNormalizer() {
    }

    static String normalize(String answer) {
        String s = answer.strip();
        s = stripMathDelimiters(s);
        s = s.replace("\\displaystyle", "").replace("\\\\", "\u0000").replace("\\,", "").replace("\\!", "").replace("\\;", "")
                .replace("\\:", "").replace("\\qquad", " ").replace("\\quad", " ").replace("~", " ").replace("\n", " ");
        s = s.replace("\\ ", " ").replace("\u0000", "\\\\"); // "\\" (a matrix row end) was set aside
        s = s.replace("\\left.", "").replace("\\right.", "");
        s = s.replaceAll("\\\\(?:left|right|bigl|bigr|Bigl|Bigr|big|Big|biggl|biggr)(?![a-zA-Z])\\s*", "");
        s = s.replaceAll("\\\\[dtc]frac(?![a-zA-Z])", "\\\\frac");
        s = s.replace("^{\\circ}", "").replace("^\\circ", "").replace("\\circ", "").replace("°", "")
                .replace("\\degree", "");
        s = s.replace("\\$", "").replace("$", "").replace("\\%", "%");
        s = s.replace("\\infinity", "\\infty").replace("∞", "\\infty").replace("π", "\\pi").replace("√", "\\sqrt");
        s = replaceAll(s, STYLE_COMMAND, "$1");
        s = stripUnits(s);
        s = replaceAll(s, TEXT_COMMAND, "$1");
        s = s.strip();
        while (s.endsWith(".") || s.endsWith("\\")) {
            s = s.substring(0, s.length() - 1).strip();
        }
        Matcher words = WORDS_AFTER_NUMBER.matcher(s);
        if (words.matches()) {
            s = words.group(1);
        }
        Matcher unitWords = UNITS_WORDS.matcher(s);
        if (unitWords.find() && unitWords.start() > 0) {
            String before = s.substring(0, unitWords.start());
            if (!before.isBlank() && before.matches(".*[0-9}]$")) {
                s = before;
            }
        }
        s = s.replaceAll("\\s+", " ");
        s = s.replaceAll("_\\{(\\w+)\\}", "_$1");
        // \frac12, \frac 34, \frac9{19}, \frac{270}7 -> braced arguments
        s = s.replaceAll("\\\\frac\\s*(\\d)\\s*(\\d)", "\\\\frac{$1}{$2}");
        s = s.replaceAll("\\\\frac\\s*(\\d)\\s*\\{", "\\\\frac{$1}{");
        s = s.replaceAll("\\\\frac\\s*(\\{[^{}]*\\})\\s*(\\d)", "\\\\frac$1{$2}");
        s = s.replaceAll("\\\\sqrt\\s*(\\d)", "\\\\sqrt{$1}");
        if (THOUSANDS.matcher(s.replace(" ", "")).matches()) {
            s = s.replace(" ", "").replace(",", "");
        }
        Matcher mixed = MIXED_NUMBER.matcher(s);
        if (mixed.matches()) {
            String sign = mixed.group(1);
            s = sign + "(" + mixed.group(2) + "+\\frac{" + mixed.group(3) + "}{" + mixed.group(4) + "})";
        }
        Matcher choice = CHOICE.matcher(s);
        if (choice.matches()) {
            s = choice.group(1).toUpperCase();
        }
        return canonicalSpaces(s);
    }

    /** Removes spaces except between letters ({@code \cot x} keeps its space, {@code 2 \sqrt{3}} loses it). */
    static String canonicalSpaces(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ') {
                boolean letterBefore = i > 0 && Character.isLetter(s.charAt(i - 1));
                boolean letterAfter = i + 1 < s.length() && Character.isLetter(s.charAt(i + 1));
                if (letterBefore && letterAfter) {
                    out.append(c);
                }
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String stripMathDelimiters(String s) {
        boolean changed = true;
        while (changed) {
            changed = false;
            if (s.length() >= 2 && s.startsWith("$") && s.endsWith("$")) {
                s = s.substring(1, s.length() - 1).strip();
                changed = true;
            } else if (s.startsWith("\\(") && s.endsWith("\\)") || s.startsWith("\\[") && s.endsWith("\\]")) {
                s = s.substring(2, s.length() - 2).strip();
                changed = true;
            }
        }
        return s;
    }

    /** {@code 15\mbox{ cm}^2} -> {@code 15}; a whole-text answer like {@code \text{Evelyn}} keeps its words. */
    private static String stripUnits(String s) {
        Matcher unit = UNIT_AFTER_VALUE.matcher(s);
        while (unit.matches()) {
            s = unit.group(1).strip();
            unit = UNIT_AFTER_VALUE.matcher(s);
        }
        return s;
    }

    private static String replaceAll(String s, Pattern pattern, String replacement) {
        String previous;
        do {
            previous = s;
            s = pattern.matcher(s).replaceAll(replacement);
        } while (!s.equals(previous));
        return s;
    }
}
