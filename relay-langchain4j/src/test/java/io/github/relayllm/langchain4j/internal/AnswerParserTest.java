package io.github.relayllm.langchain4j.internal;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import io.github.relayllm.langchain4j.format.PromptFormat;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerParserTest {

    private static AiMessage parse(String answer) {
        return PromptFormat.qwen3().parseAnswer(answer);
    }

    private static ToolExecutionRequest call(String name, String arguments) {
        return ToolExecutionRequest.builder().name(name).arguments(arguments).build();
    }

    @Test
    void should_keep_plain_text_as_it_is() {
        // when
        AiMessage message = parse("  391\n");

        // then
        assertThat(message.text()).isEqualTo("  391\n");
        assertThat(message.thinking()).isNull();
        assertThat(message.toolExecutionRequests()).isEmpty();
    }

    @Test
    void should_split_thinking_from_text() {
        // when
        AiMessage message = parse("<think>\nLet me multiply.\n</think>\n\n391");

        // then
        assertThat(message.thinking()).isEqualTo("Let me multiply.");
        assertThat(message.text()).isEqualTo("391");
    }

    @Test
    void should_split_thinking_when_the_open_tag_was_in_the_prompt() {
        // when
        AiMessage message = parse("reasoning\n</think>\n\nanswer");

        // then
        assertThat(message.thinking()).isEqualTo("reasoning");
        assertThat(message.text()).isEqualTo("answer");
    }

    @Test
    void should_give_no_thinking_for_an_empty_think_block() {
        // when
        AiMessage message = parse("<think>\n\n</think>\n\nHi");

        // then
        assertThat(message.thinking()).isNull();
        assertThat(message.text()).isEqualTo("Hi");
    }

    @Test
    void should_make_an_unclosed_think_block_all_thinking() {
        // when
        AiMessage message = parse("<think>\nstill thinking when the budget ran");

        // then
        assertThat(message.thinking()).isEqualTo("still thinking when the budget ran");
        assertThat(message.text()).isEmpty();
    }

    @Test
    void should_parse_several_tool_calls() {
        // when
        AiMessage message = parse("Let me check.\n<tool_call>\n{\"name\": \"a\", \"arguments\": {\"x\": 1}}\n"
                + "</tool_call>\n<tool_call>\n{\"name\": \"b\", \"arguments\": {}}\n</tool_call>");

        // then
        assertThat(message.text()).isEqualTo("Let me check.");
        assertThat(message.toolExecutionRequests())
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("id")
                .containsExactly(call("a", "{\"x\":1}"), call("b", "{}"));
    }

    @Test
    void should_give_null_text_when_the_answer_is_only_tool_calls() {
        // when
        AiMessage message = parse("<tool_call>\n{\"name\": \"a\"}\n</tool_call>");

        // then
        assertThat(message.text()).isNull();
        assertThat(message.toolExecutionRequests())
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("id")
                .containsExactly(call("a", "{}"));
    }

    @Test
    void should_give_every_tool_call_its_own_id() {
        // when
        List<ToolExecutionRequest> calls = parse("<tool_call>{\"name\": \"a\"}</tool_call>"
                + "<tool_call>{\"name\": \"a\"}</tool_call>").toolExecutionRequests();

        // then: Qwen3 writes none; results are matched by id elsewhere (AiServices, OpenAI-shaped memories)
        assertThat(calls).hasSize(2).allSatisfy(call -> assertThat(call.id()).matches("call_[0-9a-f]{24}"));
        assertThat(calls.get(0).id()).isNotEqualTo(calls.get(1).id());
    }

    @Test
    void should_take_string_arguments_as_they_are() {
        assertThat(parse("<tool_call>{\"name\": \"a\", \"arguments\": \"{\\\"x\\\": 2}\"}</tool_call>")
                .toolExecutionRequests())
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("id")
                .containsExactly(call("a", "{\"x\": 2}"));
    }

    @Test
    void should_keep_a_tool_call_with_invalid_json_in_the_text() {
        // given
        String invalid = "<tool_call>\n{\"name\": \"a\", \"arguments\": {\"x\": }\n</tool_call>";

        // when
        AiMessage message = parse("Trying.\n" + invalid);

        // then
        assertThat(message.toolExecutionRequests()).isEmpty();
        assertThat(message.text()).isEqualTo("Trying.\n" + invalid);
    }

    @Test
    void should_parse_valid_calls_and_keep_invalid_ones_visible() {
        // given
        String invalid = "<tool_call>\n{\"arguments\": {}}\n</tool_call>";

        // when
        AiMessage message = parse("<tool_call>\n{\"name\": \"a\", \"arguments\": {}}\n</tool_call>\n" + invalid
                + "\n<tool_call>{\"name\": \"b\"} trailing</tool_call>");

        // then
        assertThat(message.toolExecutionRequests())
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("id")
                .containsExactly(call("a", "{}"));
        assertThat(message.text()).isEqualTo(invalid + "\n<tool_call>{\"name\": \"b\"} trailing</tool_call>");
    }

    @Test
    void should_keep_an_unclosed_tool_call_in_the_text() {
        // when
        AiMessage message = parse("<tool_call>\n{\"name\": \"a\", \"argu");

        // then
        assertThat(message.toolExecutionRequests()).isEmpty();
        assertThat(message.text()).isEqualTo("<tool_call>\n{\"name\": \"a\", \"argu");
    }

    @Test
    void should_parse_thinking_and_tool_calls_together() {
        // when
        AiMessage message = parse("<think>\nNeed the file.\n</think>\n\n<tool_call>\n{\"name\": \"read_file\", "
                + "\"arguments\": {\"path\": \"a.py\"}}\n</tool_call>");

        // then
        assertThat(message.thinking()).isEqualTo("Need the file.");
        assertThat(message.text()).isNull();
        assertThat(message.toolExecutionRequests())
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("id")
                .containsExactly(call("read_file", "{\"path\":\"a.py\"}"));
    }

    @Test
    void should_drop_an_end_marker_a_backend_returned() {
        assertThat(parse("Hi<|im_end|>\n<|im_start|>user").text()).isEqualTo("Hi");
        assertThat(parse("Hi<|endoftext|>").text()).isEqualTo("Hi");
    }
}
