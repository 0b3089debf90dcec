package io.github.relayllm.langchain4j.internal.inprocess;

import java.util.List;

/**
 * Finds the request's stop strings in text that arrives piece by piece. The in-process backend matches stop
 * strings itself instead of handing them to java-llama.cpp: the engine cuts a matched stop string and reports no
 * stop reason, so a stop on {@code </call>} would look the same as end-of-sequence.
 */
public final class InProcessStopStrings {

    private final List<String> stopStrings;
    private final int longest;

    public InProcessStopStrings(List<String> stopStrings) {
        for (String stopString : stopStrings) {
            if (stopString.isEmpty()) {
                throw new IllegalArgumentException("stopStrings must not contain an empty string");
            }
        }
        this.stopStrings = List.copyOf(stopStrings);
        this.longest = stopStrings.stream().mapToInt(String::length).max().orElse(0);
    }

    /**
     * The first match that ends inside the newest piece, {@code text[checkedLength..]}: earlier text was checked
     * when it arrived. Of several matches the one that ends first wins (where the model would have stopped had it
     * been checked character by character); at the same end, the longer one.
     *
     * @return the match, or null
     */
    public Match find(CharSequence text, int checkedLength) {
        if (longest == 0) {
            return null;
        }
        String window = text.subSequence(Math.max(0, checkedLength - longest + 1), text.length()).toString();
        int windowStart = Math.max(0, checkedLength - longest + 1);
        Match best = null;
        for (String stopString : stopStrings) {
            int at = window.indexOf(stopString);
            if (at < 0) {
                continue;
            }
            int end = windowStart + at + stopString.length();
            if (best == null || end < best.end() || (end == best.end() && stopString.length() > best.stopString().length())) {
                best = new Match(stopString, end);
            }
        }
        return best;
    }

    /**
     * A stop string found in the text.
     *
     * @param stopString the stop string
     * @param end        the index just after it: the text is cut there
     */
    public record Match(String stopString, int end) {
    }
}
