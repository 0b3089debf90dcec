package io.github.relayllm.langchain4j.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a Qwen3-style answer into thinking, text and tool calls.
 * <ul>
 * <li>Thinking: the text before {@code </think>} (after {@code <think>} when present) is the thinking, stripped; the
 * text after it, leading whitespace removed, is the answer. An unclosed {@code <think>} at the start (the budget ran
 * out while thinking) makes everything thinking and the text empty. An empty think block gives no thinking.</li>
 * <li>Tool calls: every {@code <tool_call>…</tool_call>} block whose body is a JSON object with a string
 * {@code name} becomes a {@link ToolExecutionRequest} (arguments: the {@code arguments} object as compact JSON, a
 * string {@code arguments} as it is, none as {@code {}}); ids are {@code null} (the format has none). A block with
 * invalid JSON, or an unclosed block, stays in the text, so that the caller sees what the model wrote. When calls
 * were parsed, the remaining text is stripped of surrounding whitespace and is {@code null} if empty.</li>
 * <li>End markers ({@code <|im_end|>}) and everything after them are dropped.</li>
 * </ul>
 */
public final class AnswerParser {

    private static final ObjectMapper MAPPER =
            JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final Pattern TOOL_CALL = Pattern.compile("<tool_call>(.*?)</tool_call>", Pattern.DOTALL);
    private static final String THINK = "<think>";
    private static final String END_THINK = "</think>";

    private AnswerParser() {
    }

    public static AiMessage parse(String answer, List<String> endMarkers) {
        String text = Checks.ensureNotNull(answer, "answer");
        for (String marker : endMarkers) {
            int at = text.indexOf(marker);
            if (at >= 0) {
                text = text.substring(0, at);
            }
        }
        String thinking = null;
        int close = text.indexOf(END_THINK);
        if (close >= 0) {
            String before = text.substring(0, close);
            int open = before.indexOf(THINK);
            String prefix = open >= 0 ? before.substring(0, open) : "";
            thinking = (open >= 0 ? before.substring(open + THINK.length()) : before).strip();
            String after = text.substring(close + END_THINK.length()).stripLeading();
            text = prefix.isBlank() ? after : prefix + after;
        } else if (text.stripLeading().startsWith(THINK)) {
            thinking = text.stripLeading().substring(THINK.length()).strip();
            text = "";
        }
        if (thinking != null && thinking.isEmpty()) {
            thinking = null;
        }

        List<ToolExecutionRequest> calls = new ArrayList<>();
        StringBuilder remaining = new StringBuilder();
        Matcher matcher = TOOL_CALL.matcher(text);
        int from = 0;
        while (matcher.find()) {
            ToolExecutionRequest call = toolCall(matcher.group(1));
            if (call != null) {
                // Qwen3 writes no ids (results go back in order); callers and memories that match results by id
                // get a unique one, in OpenAI's shape
                calls.add(call.toBuilder().id(newCallId())
                        .build());
                remaining.append(text, from, matcher.start());
                from = matcher.end();
            }
        }
        String finalText = text;
        if (!calls.isEmpty()) {
            remaining.append(text, from, text.length());
            finalText = remaining.toString().strip();
            if (finalText.isEmpty()) {
                finalText = null;
            }
        }
        return AiMessage.builder().text(finalText).thinking(thinking).toolExecutionRequests(calls).build();
    }

    /**
     * What is wrong with the tool calls of {@code answer}, one message per problem, in order: a block that is not
     * closed, is not valid JSON or has no {@code name}, or a call of a tool that {@code toolNames} does not offer
     * (not checked when it is empty). Blocks in the thinking are not looked at, as {@link #parse} does not.
     */
    public static List<String> toolCallProblems(String answer, List<String> endMarkers, Collection<String> toolNames) {
        String text = textOf(Checks.ensureNotNull(answer, "answer"), endMarkers);
        List<String> problems = new ArrayList<>();
        int from = 0;
        int number = 0;
        while (true) {
            int open = text.indexOf("<tool_call>", from);
            if (open < 0) {
                return problems;
            }
            number++;
            int close = text.indexOf("</tool_call>", open);
            if (close < 0) {
                problems.add("tool call " + number + " is not closed with </tool_call> (the answer ended inside it): "
                        + excerpt(text.substring(open)));
                return problems;
            }
            String body = text.substring(open + "<tool_call>".length(), close).strip();
            from = close + "</tool_call>".length();
            JsonNode node;
            try {
                node = MAPPER.readTree(body);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                problems.add("tool call " + number + " is not valid JSON (" + e.getOriginalMessage() + "): "
                        + excerpt(body));
                continue;
            }
            if (node == null || !node.isObject() || !node.path("name").isTextual()
                    || node.get("name").asText().isBlank()) {
                problems.add("tool call " + number + " has no \"name\" string: " + excerpt(body));
            } else if (!toolNames.isEmpty() && !toolNames.contains(node.get("name").asText())) {
                problems.add("tool call " + number + " names the unknown tool '" + node.get("name").asText()
                        + "' (the request offers " + String.join(", ", toolNames) + ")");
            }
        }
    }

    private static String cut(String text, List<String> endMarkers) {
        for (String marker : endMarkers) {
            int at = text.indexOf(marker);
            if (at >= 0) {
                text = text.substring(0, at);
            }
        }
        return text;
    }

    /** The answer's text as {@link #parse} splits it off (end markers and thinking removed). */
    private static String textOf(String answer, List<String> endMarkers) {
        String text = cut(answer, endMarkers);
        int close = text.indexOf(END_THINK);
        if (close < 0) {
            return text.stripLeading().startsWith(THINK) ? "" : text;
        }
        String before = text.substring(0, close);
        int open = before.indexOf(THINK);
        String prefix = open >= 0 ? before.substring(0, open) : "";
        String after = text.substring(close + END_THINK.length()).stripLeading();
        return prefix.isBlank() ? after : prefix + after;
    }

    private static String excerpt(String text) {
        String oneLine = text.strip().replace("\n", "\\n");
        return oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...";
    }

    /** Whether the body of a {@code <tool_call>} block reads as a call (what {@link #parse} turns into a request). */
    public static boolean isToolCall(String body) {
        return toolCall(body) != null;
    }

    private static ToolExecutionRequest toolCall(String body) {
        JsonNode node;
        try {
            node = MAPPER.readTree(body.strip());
        } catch (Exception e) {
            return null;
        }
        if (node == null || !node.isObject() || !node.path("name").isTextual() || node.get("name").asText().isBlank()) {
            return null;
        }
        JsonNode arguments = node.get("arguments");
        String json = arguments == null || arguments.isNull() ? "{}"
                : arguments.isTextual() ? arguments.asText() : arguments.toString();
        return ToolExecutionRequest.builder().name(node.get("name").asText()).arguments(json).build();
    }

    /**
     * {@code call_} and 24 hex digits. Unique enough to match a tool result to its call within one conversation; not
     * a secret, so {@link ThreadLocalRandom} (no lock) instead of {@code UUID.randomUUID()}, whose shared
     * {@code SecureRandom} the sample endpoint's load benchmark saw threads blocked on.
     */
    private static String newCallId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "call_" + String.format("%016x%08x", random.nextLong(), random.nextInt());
    }
}
