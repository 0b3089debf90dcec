package io.github.relayllm.eval.grading;

/**
 * Drops a dataset's unit from the end of an answer ({@code 30 \text{ m/s}}, {@code 30\mathrm{~m} / \mathrm{s}},
 * {@code $30$ m/s} for the unit {@code m/s}), so that {@code 30} and {@code 30 m/s} grade alike where the dataset
 * says the answer is in m/s.
 */
final class Units {

    private Units() {
    }

    /** The answer without a trailing {@code unit}; the answer itself when it does not end with it (or unit is blank). */
    static String strip(String answer, String unit) {
        if (unit == null || answer == null) {
            return answer;
        }
        String core = core(unit);
        if (core.isEmpty()) {
            return answer;
        }
        for (int i = 1; i < answer.length(); i++) {
            if (core(answer.substring(i)).equals(core) && boundary(answer, i)) {
                String value = answer.substring(0, i).strip();
                if (!value.isEmpty() && !value.equals("$")) {
                    return value.endsWith("$") && value.startsWith("$") ? value : value.replaceAll("[\\s~]+$", "");
                }
            }
        }
        return answer;
    }

    /** A unit's letters and symbols without LaTeX wrapping, spaces, braces or dollars. */
    private static String core(String unit) {
        return unit.replaceAll("\\\\(?:mathrm|text|mbox|operatorname)", "").replaceAll("[\\s{}$~]|\\\\[ ,;!]", "");
    }

    /** The unit starts where the value has ended: after a space, a brace, a dollar or a digit. */
    private static boolean boundary(String answer, int at) {
        char before = answer.charAt(at - 1);
        char first = answer.charAt(at);
        return Character.isWhitespace(before) || before == '}' || before == '$' || before == '~' || first == '\\'
                || Character.isDigit(before) && Character.isLetter(first);
    }
}
