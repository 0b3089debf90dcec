package io.github.relayllm.langchain4j.internal.http;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells a stop string from end-of-sequence for servers that cut the stop string from their output and answer the
 * same reason ({@code stop}) for both: Ollama, llama-server, OpenAI itself.
 * <p>
 * The rule, by the text: a stop string that is a closing tag {@code </name>} counts as matched when the text
 * ends inside an unclosed {@code <name>} (or {@code <name …}) — the model opened {@code <call>}, wrote its
 * number and the server stopped on {@code </call>}, which it then cut. Otherwise the model ended the sequence.
 * <p>
 * Its limits: a model that writes end-of-sequence right after an unclosed {@code <call>5} is taken to have written
 * {@code </call>} (rare, and the relay then makes the call the model began); a stop string that is not a closing
 * tag can never be seen once cut, so it is reported as end-of-sequence. Servers that say which stop string they
 * matched (vLLM's {@code stop_reason}) do not need this rule.
 */
public final class HttpFinishReasons {

    private static final Pattern CLOSING_TAG = Pattern.compile("</([A-Za-z_][A-Za-z0-9_.:-]*)\\s*>");

    private HttpFinishReasons() {
    }

    /** The stop string the server cut at the end of {@code text}, or {@code null} when the model ended the sequence. */
    public static String cutStopString(String text, List<String> stopStrings) {
        for (String stop : stopStrings) {
            Matcher closing = CLOSING_TAG.matcher(stop);
            if (closing.matches() && endsInsideOpenTag(text, "<" + closing.group(1), stop)) {
                return stop;
            }
        }
        return null;
    }

    private static boolean endsInsideOpenTag(String text, String opener, String closer) {
        int from = text.length();
        while (from >= 0) {
            int open = text.lastIndexOf(opener, from);
            if (open < 0) {
                return false;
            }
            int after = open + opener.length();
            if (after == text.length() || text.charAt(after) == '>' || Character.isWhitespace(text.charAt(after))) {
                return text.indexOf(closer, after) < 0;
            }
            from = open - 1;
        }
        return false;
    }

    /** {@code text} ending with {@code stop}: re-appended unless the server kept it. */
    public static String withStopString(String text, String stop) {
        return text.endsWith(stop) ? text : text + stop;
    }
}
