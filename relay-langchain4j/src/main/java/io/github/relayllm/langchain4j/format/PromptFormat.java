package io.github.relayllm.langchain4j.format;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;

import java.util.List;

/**
 * How chat messages become the one raw prompt both relay models continue, and how the generated answer becomes an
 * {@link AiMessage}. Implementations are immutable and thread-safe.
 * <p>
 * The built-in formats follow the Qwen3 chat template (ChatML turns, tools in the system turn inside
 * {@code <tools>…</tools>}, tool calls as {@code <tool_call>} JSON blocks, tool results in a user turn inside
 * {@code <tool_response>…</tool_response>}):
 * <ul>
 * <li>{@link #qwen3()}, the default: non-thinking, the prompt ends with {@code <|im_start|>assistant\n} followed by
 * the empty think block {@code <think>\n\n</think>\n\n} (Qwen3's {@code enable_thinking=false});</li>
 * <li>{@link #qwen3Thinking()}: the prompt ends with {@code <|im_start|>assistant\n} and the model writes its
 * {@code <think>…</think>} block itself; it lands in {@link AiMessage#thinking()};</li>
 * <li>{@link #chatMl()}: plain ChatML, no think block and no reasoning in earlier assistant turns.</li>
 * </ul>
 */
public interface PromptFormat {

    /**
     * The raw prompt for {@code messages} (and the tools the model may call; may be empty), ending where the
     * assistant's answer begins.
     *
     * @throws dev.langchain4j.exception.UnsupportedFeatureException for messages the format cannot show as text
     *         (images, audio, custom messages)
     */
    String render(List<ChatMessage> messages, List<ToolSpecification> toolSpecifications);

    /**
     * The answer, as the relay produced it (commands already removed), as an {@link AiMessage}: thinking split
     * off, tool calls parsed. Text the format cannot parse (a tool call with invalid JSON) stays in the text.
     */
    AiMessage parseAnswer(String answer);

    /**
     * End-of-turn text a backend may return instead of reporting end-of-sequence (e.g. {@code <|im_end|>}): the
     * relay treats it as end-of-sequence and drops it and everything after it.
     */
    default List<String> endMarkers() {
        return List.of();
    }

    /**
     * What is wrong with the tool calls written in {@code answer} (as {@link #parseAnswer(String)} gets it), one
     * clear message per problem: a call block that is not closed or not valid JSON (it stays in the text), or a call
     * of a tool the request did not offer (it stays a tool execution request, for the caller to report). The relay
     * logs them and puts them in {@link io.github.relayllm.langchain4j.RelayResponseMetadata#toolCallProblems()}. The default finds none.
     */
    default List<String> toolCallProblems(String answer, List<ToolSpecification> toolSpecifications) {
        return List.of();
    }

    /**
     * The text that opens a tool call in this format ({@code <tool_call>\n} for Qwen3): the relay starts the answer
     * with it when a request's {@code toolChoice} is {@code REQUIRED}, so that the models write a call. {@code null}
     * (the default): the format cannot force a call, and such requests are rejected.
     */
    default String toolCallStart() {
        return null;
    }

    /** Qwen3, non-thinking (the default). */
    static PromptFormat qwen3() {
        return ChatMlPromptFormat.QWEN3;
    }

    /** Qwen3 with thinking: the model writes a {@code <think>…</think>} block before its answer. */
    static PromptFormat qwen3Thinking() {
        return ChatMlPromptFormat.QWEN3_THINKING;
    }

    /** Plain ChatML (Qwen2.5 style): no think block. */
    static PromptFormat chatMl() {
        return ChatMlPromptFormat.CHAT_ML;
    }
}
