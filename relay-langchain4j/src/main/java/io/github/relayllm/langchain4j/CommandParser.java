package io.github.relayllm.langchain4j;

/**
 * Reads the student's commands {@code <call>N</call>} in generated text.
 * <p>
 * Grammar: the exact tags {@code <call>} and {@code </call>} around a body with no tag in it. The body, with
 * whitespace around it ignored, is N when it is a decimal integer ({@code [+-]?[0-9]+}, huge values saturate);
 * any other body ({@code <call></call>}, {@code <call>x</call>}) is a command without a valid N, for which the relay
 * uses {@code defaultCallTokens}. A {@code </call>} with no open {@code <call>} before it (a stray close) is no
 * command: it never calls the teacher and, like commands, is removed from what the teacher and the user see.
 */
final class CommandParser {

    static final String OPEN = "<call>";
    static final String CLOSE = "</call>";

    private CommandParser() {
    }

    /**
     * A command found at the end of generated text.
     *
     * @param markup the whole command as written, e.g. {@code <call> 12 </call>}
     * @param tokens N as written, or {@code null} when the body is not a decimal integer
     */
    record Command(String markup, Integer tokens) {
    }

    /**
     * The command that ends {@code text}, or {@code null} when the text does not end with {@code </call>} or the
     * {@code </call>} is stray.
     */
    static Command trailingCommand(CharSequence text) {
        String s = text.toString();
        if (!s.endsWith(CLOSE)) {
            return null;
        }
        int closeAt = s.length() - CLOSE.length();
        int openAt = s.lastIndexOf(OPEN, closeAt);
        if (openAt < 0 || s.lastIndexOf(CLOSE, closeAt - 1) > openAt) {
            return null;
        }
        return new Command(s.substring(openAt), parseTokens(s.substring(openAt + OPEN.length(), closeAt)));
    }

    /** N of a command body, or {@code null} when it is not a decimal integer; saturates at the int range. */
    static Integer parseTokens(String body) {
        String n = body.strip();
        int start = n.startsWith("+") || n.startsWith("-") ? 1 : 0;
        if (n.length() == start) {
            return null;
        }
        for (int i = start; i < n.length(); i++) {
            char c = n.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
        }
        boolean negative = n.charAt(0) == '-';
        String digits = n.substring(start).replaceFirst("^0+(?=.)", "");
        if (digits.length() > 9) {
            return negative ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        }
        int value = Integer.parseInt(digits);
        return negative ? -value : value;
    }

    /**
     * The text with every command, every stray {@code </call>} and a trailing unclosed {@code <call>…} removed:
     * what the teacher and the user see of generated text.
     */
    static String strip(String text) {
        VisibleTextFilter filter = new VisibleTextFilter(java.util.List.of());
        return filter.accept(text) + filter.finish();
    }
}
