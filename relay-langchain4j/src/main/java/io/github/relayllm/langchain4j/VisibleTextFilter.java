package io.github.relayllm.langchain4j;

import java.util.List;

/**
 * Turns generated text, fed in pieces as it arrives, into the text the user may see: commands
 * ({@code <call>…</call>}) and stray {@code </call>}s are removed, everything from an end marker (e.g.
 * {@code <|im_end|>}, for backends that return it instead of reporting end-of-sequence) on is dropped, and text
 * that could still become one of these is held back until the next piece decides. Feeding the whole text at once
 * gives the same result as feeding it in any split. Not thread-safe: one per request.
 */
final class VisibleTextFilter {

    private final List<String> endMarkers;
    private final StringBuilder pending = new StringBuilder();
    private boolean inCommand;
    private boolean ended;

    VisibleTextFilter(List<String> endMarkers) {
        this.endMarkers = List.copyOf(endMarkers);
    }

    /** Takes the next piece of generated text and returns what may be shown now (possibly empty). */
    String accept(String piece) {
        if (ended) {
            return "";
        }
        pending.append(piece);
        StringBuilder out = new StringBuilder();
        while (!ended) {
            if (inCommand) {
                int close = pending.indexOf(CommandParser.CLOSE);
                if (close < 0) {
                    // keep only what may begin the close tag: the command's body is never shown
                    keepTail(CommandParser.CLOSE.length() - 1);
                    return out.toString();
                }
                pending.delete(0, close + CommandParser.CLOSE.length());
                inCommand = false;
                continue;
            }
            int at = firstTag();
            if (at < 0) {
                int hold = longestPrefixSuffix();
                out.append(pending, 0, pending.length() - hold);
                pending.delete(0, pending.length() - hold);
                return out.toString();
            }
            out.append(pending, 0, at);
            pending.delete(0, at);
            if (startsWith(CommandParser.OPEN)) {
                pending.delete(0, CommandParser.OPEN.length());
                inCommand = true;
            } else if (startsWith(CommandParser.CLOSE)) {
                pending.delete(0, CommandParser.CLOSE.length());
            } else {
                ended = true;
                pending.setLength(0);
            }
        }
        return out.toString();
    }

    /**
     * Ends the text: returns held-back text that turned out to be plain; an unclosed command at the end is dropped.
     */
    String finish() {
        String out = inCommand || ended ? "" : pending.toString();
        pending.setLength(0);
        inCommand = false;
        return out;
    }

    /** Whether an end marker was seen: nothing after it is shown. */
    boolean ended() {
        return ended;
    }

    private void keepTail(int length) {
        if (pending.length() > length) {
            pending.delete(0, pending.length() - length);
        }
    }

    private boolean startsWith(String tag) {
        return pending.length() >= tag.length() && pending.substring(0, tag.length()).equals(tag);
    }

    private int firstTag() {
        int first = -1;
        first = earliest(first, pending.indexOf(CommandParser.OPEN));
        first = earliest(first, pending.indexOf(CommandParser.CLOSE));
        for (String marker : endMarkers) {
            first = earliest(first, pending.indexOf(marker));
        }
        return first;
    }

    private static int earliest(int a, int b) {
        return b < 0 ? a : a < 0 ? b : Math.min(a, b);
    }

    /** The length of the longest end of {@code pending} that begins a tag or an end marker. */
    private int longestPrefixSuffix() {
        int hold = Math.max(prefixSuffix(CommandParser.OPEN), prefixSuffix(CommandParser.CLOSE));
        for (String marker : endMarkers) {
            hold = Math.max(hold, prefixSuffix(marker));
        }
        return hold;
    }

    private boolean endsWith(String tag, int length) {
        int offset = pending.length() - length;
        for (int i = 0; i < length; i++) {
            if (pending.charAt(offset + i) != tag.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int prefixSuffix(String tag) {
        for (int length = Math.min(tag.length() - 1, pending.length()); length > 0; length--) {
            if (endsWith(tag, length)) {
                return length;
            }
        }
        return 0;
    }
}
