package io.github.relayllm.langchain4j.format;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import io.github.relayllm.langchain4j.internal.AnswerParser;
import io.github.relayllm.langchain4j.internal.Checks;
import io.github.relayllm.langchain4j.internal.ToolSpecificationJson;

import java.util.List;
import java.util.Locale;

/**
 * The Qwen3 chat template (and plain ChatML) written out in Java, so that the relay sends raw text that is
 * byte-for-byte what the model was trained on. Mirrors Qwen3's {@code tokenizer_config.json} template.
 */
final class ChatMlPromptFormat implements PromptFormat {

    static final ChatMlPromptFormat QWEN3 = new ChatMlPromptFormat("qwen3", true, true);
    static final ChatMlPromptFormat QWEN3_THINKING = new ChatMlPromptFormat("qwen3Thinking", false, true);
    static final ChatMlPromptFormat CHAT_ML = new ChatMlPromptFormat("chatMl", false, false);

    static final String IM_START = "<|im_start|>";
    static final String IM_END = "<|im_end|>";
    static final String END_OF_TEXT = "<|endoftext|>";
    private static final String EMPTY_THINK_BLOCK = "<think>\n\n</think>\n\n";
    private static final String TOOLS_HEADER = "# Tools\n\nYou may call one or more functions to assist with the user "
            + "query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>";
    private static final String TOOLS_FOOTER = "\n</tools>\n\nFor each function call, return a json object with "
            + "function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n"
            + "{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>" + IM_END + "\n";

    private final String name;
    private final boolean emptyThinkBlock;
    private final boolean reasoningInHistory;

    private ChatMlPromptFormat(String name, boolean emptyThinkBlock, boolean reasoningInHistory) {
        this.name = name;
        this.emptyThinkBlock = emptyThinkBlock;
        this.reasoningInHistory = reasoningInHistory;
    }

    @Override
    public String render(List<ChatMessage> messages, List<ToolSpecification> toolSpecifications) {
        Checks.ensureNotNull(messages, "messages");
        StringBuilder prompt = new StringBuilder(256);
        int first = 0;
        boolean startsWithSystem = !messages.isEmpty() && messages.get(0) instanceof SystemMessage;
        if (toolSpecifications != null && !toolSpecifications.isEmpty()) {
            prompt.append(IM_START).append("system\n");
            if (startsWithSystem) {
                prompt.append(((SystemMessage) messages.get(0)).text()).append("\n\n");
                first = 1;
            }
            prompt.append(TOOLS_HEADER);
            for (ToolSpecification tool : toolSpecifications) {
                prompt.append('\n').append(ToolSpecificationJson.toJson(tool));
            }
            prompt.append(TOOLS_FOOTER);
        } else if (startsWithSystem) {
            turn(prompt, "system", ((SystemMessage) messages.get(0)).text());
            first = 1;
        }
        int lastQuery = lastUserMessage(messages);
        for (int i = first; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            if (message instanceof SystemMessage system) {
                turn(prompt, "system", system.text());
            } else if (message instanceof UserMessage user) {
                turn(prompt, "user", text(user));
            } else if (message instanceof AiMessage ai) {
                assistant(prompt, ai, i > lastQuery, i == messages.size() - 1);
            } else if (message instanceof ToolExecutionResultMessage result) {
                if (i == 0 || !(messages.get(i - 1) instanceof ToolExecutionResultMessage)) {
                    prompt.append(IM_START).append("user");
                }
                prompt.append("\n<tool_response>\n").append(result.text()).append("\n</tool_response>");
                if (i == messages.size() - 1 || !(messages.get(i + 1) instanceof ToolExecutionResultMessage)) {
                    prompt.append(IM_END).append('\n');
                }
            } else {
                throw new UnsupportedFeatureException("prompt format " + name + " cannot render a "
                        + (message == null ? "null message" : message.type() + " message"));
            }
        }
        prompt.append(IM_START).append("assistant\n");
        if (emptyThinkBlock) {
            prompt.append(EMPTY_THINK_BLOCK);
        }
        return prompt.toString();
    }

    private void assistant(StringBuilder prompt, AiMessage ai, boolean afterLastQuery, boolean last) {
        String content = ai.text() == null ? "" : ai.text();
        String reasoning = ai.thinking() == null ? "" : ai.thinking();
        if (reasoningInHistory && reasoning.isEmpty() && content.contains("</think>")) {
            // Qwen3: content.split('</think>')[0].rstrip('\n').split('<think>')[-1].lstrip('\n')
            String beforeClose = stripTrailing(content.substring(0, content.indexOf("</think>")));
            int open = beforeClose.lastIndexOf("<think>");
            reasoning = stripLeading(open >= 0 ? beforeClose.substring(open + "<think>".length()) : beforeClose);
            content = stripLeading(content.substring(content.lastIndexOf("</think>") + "</think>".length()));
        }
        prompt.append(IM_START).append("assistant\n");
        if (reasoningInHistory && afterLastQuery && (last || !reasoning.isEmpty())) {
            prompt.append("<think>\n").append(stripLeading(stripTrailing(reasoning))).append("\n</think>\n\n")
                    .append(stripLeading(content));
        } else {
            prompt.append(content);
        }
        List<ToolExecutionRequest> calls = ai.toolExecutionRequests();
        for (int j = 0; j < calls.size(); j++) {
            if (j > 0 || !content.isEmpty()) {
                prompt.append('\n');
            }
            ToolExecutionRequest call = calls.get(j);
            String arguments = call.arguments() == null || call.arguments().isBlank() ? "{}" : call.arguments();
            prompt.append("<tool_call>\n{\"name\": \"").append(call.name()).append("\", \"arguments\": ")
                    .append(arguments).append("}\n</tool_call>");
        }
        prompt.append(IM_END).append('\n');
    }

    private static void turn(StringBuilder prompt, String role, String text) {
        prompt.append(IM_START).append(role).append('\n').append(text).append(IM_END).append('\n');
    }

    private String text(UserMessage user) {
        StringBuilder text = new StringBuilder();
        for (Content content : user.contents()) {
            if (!(content instanceof TextContent textContent)) {
                throw new UnsupportedFeatureException(content.type().name().toLowerCase(Locale.ROOT) + " content is not "
                        + "supported by prompt format " + name + ": it renders text only (the UserMessage has a content "
                        + "of type " + content.type() + ")");
            }
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(textContent.text());
        }
        return text.toString();
    }

    /** Qwen3's {@code last_query_index}: the last user message, or the last message when there is none. */
    private static int lastUserMessage(List<ChatMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof UserMessage) {
                return i;
            }
        }
        return messages.size() - 1;
    }

    /** Python's {@code str.lstrip('\n')}. */
    static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '\n') {
            i++;
        }
        return s.substring(i);
    }

    /** Python's {@code str.rstrip('\n')}. */
    static String stripTrailing(String s) {
        int i = s.length();
        while (i > 0 && s.charAt(i - 1) == '\n') {
            i--;
        }
        return s.substring(0, i);
    }

    @Override
    public AiMessage parseAnswer(String answer) {
        return AnswerParser.parse(answer, endMarkers());
    }

    @Override
    public List<String> toolCallProblems(String answer, List<ToolSpecification> toolSpecifications) {
        List<String> names = new java.util.ArrayList<>();
        if (toolSpecifications != null) {
            toolSpecifications.forEach(tool -> names.add(tool.name()));
        }
        return AnswerParser.toolCallProblems(answer, endMarkers(), names);
    }

    @Override
    public String toolCallStart() {
        return "<tool_call>\n";
    }

    @Override
    public List<String> endMarkers() {
        return List.of(IM_END, END_OF_TEXT);
    }

    @Override
    public String toString() {
        return "PromptFormat." + name + "()";
    }
}
