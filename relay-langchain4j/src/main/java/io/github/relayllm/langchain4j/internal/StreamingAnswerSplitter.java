package io.github.relayllm.langchain4j.internal;

import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * Splits the visible answer, fed in pieces as the relay writes it, into the streams a chat UI shows: thinking and
 * text, each piece tagged with the model that wrote it (the tag type {@code R}: the relay's role); tool-call blocks are kept out of both (the final
 * {@code AiMessage} carries them). Follows {@link AnswerParser} for the usual shapes:
 * <ul>
 * <li>an answer that begins (after whitespace) with {@code <think>} is thinking up to {@code </think>}, with the
 * whitespace around it dropped; the whitespace after {@code </think>} is dropped too;</li>
 * <li>a {@code <tool_call>…</tool_call>} block whose body {@link AnswerParser} reads as a call is not shown; a block
 * it cannot read (invalid JSON) and an unclosed block at the end are shown as text, as the final message keeps
 * them;</li>
 * <li>text that could still become one of these tags is held back until the next piece decides;</li>
 * <li>when the request offers tools, whitespace is held back until text follows it: once a tool call has been
 * read, the final message strips the whitespace around the remaining text, so whitespace before the first text
 * after a call, or that no text follows, is never shown (the streamed text then equals the final message's, as
 * LangChain4j's suites check).</li>
 * </ul>
 * The final message stays authoritative where the two still differ (whitespace shown before text that a later tool
 * call turns into the start of a stripped text). Not thread-safe: one per request.
 */
public final class StreamingAnswerSplitter<R> {

    /** Where the split pieces go. */
    public interface Sink<R> {

        void onThinking(R role, String text);

        void onText(R role, String text);
    }

    private static final String THINK = "<think>";
    private static final String END_THINK = "</think>";
    private static final String TOOL_CALL = "<tool_call>";
    private static final String END_TOOL_CALL = "</tool_call>";

    private enum State { START, THINKING, AFTER_THINKING, TEXT, TOOL_CALL }

    private final Sink<R> sink;
    private final RoleText<R> pending = new RoleText<>();
    private final RoleText<R> heldWhitespace = new RoleText<>();
    private final boolean holdWhitespace;
    private State state = State.START;
    private boolean thinkingShown;
    private boolean textShown;
    private boolean toolCallRead;

    public StreamingAnswerSplitter(Sink<R> sink) {
        this(sink, false);
    }

    /** @param toolsOffered whether the request offers tools: then whitespace waits for the text after it */
    public StreamingAnswerSplitter(Sink<R> sink, boolean toolsOffered) {
        this.sink = sink;
        this.holdWhitespace = toolsOffered;
    }

    /** Takes the next piece of visible answer text written by {@code role}. */
    public void accept(R role, String piece) {
        pending.append(role, piece);
        boolean progress = true;
        while (progress && pending.length() > 0) {
            progress = switch (state) {
                case START -> start();
                case THINKING -> thinking();
                case AFTER_THINKING -> afterThinking();
                case TEXT -> text();
                case TOOL_CALL -> toolCall();
            };
        }
    }

    /** Ends the answer: held-back text is shown as what it turned out to be. */
    public void finish() {
        if (state == State.THINKING) {
            int end = pending.length();
            while (end > 0 && Character.isWhitespace(pending.charAt(end - 1))) {
                end--;
            }
            pending.emit(end, sink::onThinking);
        } else if (state == State.START) {
            pending.emit(pending.length(), sink::onText);
        } else if (state != State.AFTER_THINKING) {
            boolean onlyWhitespace = pending.substring(0).isBlank();
            if (!onlyWhitespace || !toolCallRead || !holdWhitespace) { // with a call read, the final message strips the end
                showText(pending.length());
            }
        }
        pending.clear();
        heldWhitespace.clear();
    }

    private boolean start() {
        int at = 0;
        while (at < pending.length() && Character.isWhitespace(pending.charAt(at))) {
            at++;
        }
        if (pending.regionMatches(at, THINK)) {
            pending.drop(at + THINK.length());
            state = State.THINKING;
            return true;
        }
        if (pending.length() - at < THINK.length() && THINK.startsWith(pending.substring(at))) {
            return false; // whitespace and maybe the beginning of <think>: wait
        }
        state = State.TEXT;
        return true;
    }

    private boolean thinking() {
        if (!thinkingShown) {
            skipWhitespace();
        }
        int close = pending.indexOf(END_THINK);
        int end = close >= 0 ? close : holdFrom(END_THINK);
        while (end > 0 && Character.isWhitespace(pending.charAt(end - 1))) {
            end--; // whitespace before </think> is dropped: hold it until that is known
        }
        thinkingShown |= end > 0;
        pending.emit(end, sink::onThinking);
        if (close < 0) {
            return false;
        }
        pending.drop(pending.indexOf(END_THINK) + END_THINK.length());
        state = State.AFTER_THINKING;
        return true;
    }

    private boolean afterThinking() {
        skipWhitespace();
        if (pending.length() == 0) {
            return false;
        }
        state = State.TEXT;
        return true;
    }

    private boolean text() {
        if (holdWhitespace && toolCallRead && !textShown) {
            skipWhitespace(); // the final message strips the whitespace before its first text
        }
        int open = pending.indexOf(TOOL_CALL);
        int end = open >= 0 ? open : holdFrom(TOOL_CALL);
        int content = end;
        while (holdWhitespace && content > 0 && Character.isWhitespace(pending.charAt(content - 1))) {
            content--;
        }
        showText(content);
        if (open < 0) {
            return false; // whitespace (and maybe the start of a tag) waits for what follows
        }
        pending.moveTo(heldWhitespace, open - content);
        state = State.TOOL_CALL;
        return true;
    }

    /** Shows the whitespace held before a tool call and the first {@code count} characters of {@code pending}. */
    private void showText(int count) {
        if (count == 0) {
            return;
        }
        if (toolCallRead && !textShown) {
            heldWhitespace.clear();
        }
        heldWhitespace.emit(heldWhitespace.length(), sink::onText);
        pending.emit(count, sink::onText);
        textShown = true;
    }

    private boolean toolCall() {
        int close = pending.indexOf(END_TOOL_CALL);
        if (close < 0) {
            return false;
        }
        int end = close + END_TOOL_CALL.length();
        String body = pending.substring(TOOL_CALL.length(), close);
        if (AnswerParser.isToolCall(body)) {
            pending.drop(end);
            toolCallRead = true;
        } else {
            showText(end);
        }
        state = State.TEXT;
        return true;
    }

    private void skipWhitespace() {
        int at = 0;
        while (at < pending.length() && Character.isWhitespace(pending.charAt(at))) {
            at++;
        }
        pending.drop(at);
    }

    /** Where the held-back end of {@code pending} begins: the longest end that is a proper prefix of {@code tag}. */
    private int holdFrom(String tag) {
        for (int length = Math.min(tag.length() - 1, pending.length()); length > 0; length--) {
            if (pending.regionMatches(pending.length() - length, tag.substring(0, length))) {
                return pending.length() - length;
            }
        }
        return pending.length();
    }

    /** Text with the role of every character, consumed from the front. */
    private static final class RoleText<R> {

        private final StringBuilder text = new StringBuilder();
        private Object[] roles = new Object[64];

        void append(R role, String piece) {
            int from = text.length();
            text.append(piece);
            if (roles.length < text.length()) {
                roles = Arrays.copyOf(roles, Math.max(text.length(), 2 * roles.length));
            }
            Arrays.fill(roles, from, text.length(), role);
        }

        int length() {
            return text.length();
        }

        char charAt(int index) {
            return text.charAt(index);
        }

        int indexOf(String s) {
            return text.indexOf(s);
        }

        String substring(int from) {
            return text.substring(from);
        }

        String substring(int from, int to) {
            return text.substring(from, to);
        }

        boolean regionMatches(int at, String s) {
            return at + s.length() <= text.length() && text.substring(at, at + s.length()).equals(s);
        }

        /** Hands the first {@code count} characters to {@code to}, one call per run of one role, and drops them. */
        void emit(int count, BiConsumer<R, String> to) {
            int from = 0;
            while (from < count) {
                int end = from + 1;
                while (end < count && roles[end] == roles[from]) {
                    end++;
                }
                @SuppressWarnings("unchecked") // append stores only R
                R role = (R) roles[from];
                to.accept(role, text.substring(from, end));
                from = end;
            }
            drop(count);
        }

        /** Moves the first {@code count} characters, with their roles, to the end of {@code to}. */
        void moveTo(RoleText<R> to, int count) {
            emit(count, to::append);
        }

        void drop(int count) {
            text.delete(0, count);
            System.arraycopy(roles, count, roles, 0, text.length());
        }

        void clear() {
            text.setLength(0);
        }
    }
}
