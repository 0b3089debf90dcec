package io.github.relayllm.langchain4j.format;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import io.github.relayllm.langchain4j.internal.ToolSpecificationJson;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Golden renderings: what Qwen3's chat template (tokenizer_config.json) gives for the same conversation. */
class PromptFormatTest {

    private static final String TOOLS_HEADER = "# Tools\n\nYou may call one or more functions to assist with the user "
            + "query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>\n";
    private static final String TOOLS_FOOTER = "\n</tools>\n\nFor each function call, return a json object with "
            + "function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": "
            + "<function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n";

    private static final ToolSpecification READ_FILE = ToolSpecification.builder()
            .name("read_file")
            .description("Read a file — \"quoted\"")
            .parameters(JsonObjectSchema.builder().addStringProperty("path").required("path").build())
            .build();

    @Test
    void should_render_system_and_user_for_qwen3_non_thinking() {
        // when
        String prompt = PromptFormat.qwen3().render(
                List.of(SystemMessage.from("You are terse."), UserMessage.from("Hi")), List.of());

        // then
        assertThat(prompt).isEqualTo("<|im_start|>system\nYou are terse.<|im_end|>\n"
                + "<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\n<think>\n\n</think>\n\n");
    }

    @Test
    void should_render_a_user_message_alone_without_system_turn() {
        assertThat(PromptFormat.qwen3().render(List.of(UserMessage.from("hi")), null))
                .isEqualTo("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
    }

    @Test
    void should_render_multi_turn_dropping_reasoning_of_earlier_answers() {
        // given
        List<ChatMessage> messages = List.of(
                SystemMessage.from("S"),
                UserMessage.from("Hi"),
                AiMessage.builder().text("Hello!").thinking("greet back").build(),
                UserMessage.from("2+2?"));

        // when
        String prompt = PromptFormat.qwen3().render(messages, List.of());

        // then
        assertThat(prompt).isEqualTo("<|im_start|>system\nS<|im_end|>\n"
                + "<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\nHello!<|im_end|>\n"
                + "<|im_start|>user\n2+2?<|im_end|>\n"
                + "<|im_start|>assistant\n<think>\n\n</think>\n\n");
    }

    @Test
    void should_render_tools_tool_calls_and_tool_results_like_qwen3_thinking() {
        // given
        List<ChatMessage> messages = List.of(
                SystemMessage.from("You are a coding agent."),
                UserMessage.from("Fix the bug in main.py"),
                AiMessage.builder().thinking("Look first.").toolExecutionRequests(List.of(ToolExecutionRequest
                        .builder().id("1").name("read_file").arguments("{\"path\": \"main.py\", \"lines\": 10}")
                        .build())).build(),
                ToolExecutionResultMessage.from("1", "read_file", "print(1/0)"));

        // when
        String prompt = PromptFormat.qwen3Thinking().render(messages, List.of(READ_FILE));

        // then
        assertThat(prompt).isEqualTo("<|im_start|>system\nYou are a coding agent.\n\n" + TOOLS_HEADER
                + "{\"type\": \"function\", \"function\": {\"name\": \"read_file\", \"description\": "
                + "\"Read a file — \\\"quoted\\\"\", \"parameters\": {\"type\": \"object\", \"properties\": "
                + "{\"path\": {\"type\": \"string\"}}, \"required\": [\"path\"]}}}" + TOOLS_FOOTER
                + "<|im_start|>user\nFix the bug in main.py<|im_end|>\n"
                + "<|im_start|>assistant\n<think>\nLook first.\n</think>\n\n<tool_call>\n{\"name\": \"read_file\", "
                + "\"arguments\": {\"path\": \"main.py\", \"lines\": 10}}\n</tool_call><|im_end|>\n"
                + "<|im_start|>user\n<tool_response>\nprint(1/0)\n</tool_response><|im_end|>\n"
                + "<|im_start|>assistant\n");
    }

    @Test
    void should_render_tools_without_system_message_and_consecutive_results_in_one_turn() {
        // given
        List<ChatMessage> messages = List.of(
                UserMessage.from("Read a and b"),
                AiMessage.builder().text("Reading both.").toolExecutionRequests(List.of(
                        ToolExecutionRequest.builder().name("read_file").arguments("{\"path\": \"a\"}").build(),
                        ToolExecutionRequest.builder().name("read_file").arguments("{\"path\": \"b\"}").build()))
                        .build(),
                ToolExecutionResultMessage.from("1", "read_file", "A"),
                ToolExecutionResultMessage.from("2", "read_file", "B"));

        // when
        String prompt = PromptFormat.qwen3().render(messages, List.of(READ_FILE));

        // then
        assertThat(prompt).startsWith("<|im_start|>system\n" + TOOLS_HEADER + "{\"type\": \"function\"");
        assertThat(prompt.substring(prompt.indexOf(TOOLS_FOOTER) + TOOLS_FOOTER.length())).isEqualTo(
                "<|im_start|>user\nRead a and b<|im_end|>\n"
                        + "<|im_start|>assistant\nReading both.\n"
                        + "<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"a\"}}\n</tool_call>\n"
                        + "<tool_call>\n{\"name\": \"read_file\", \"arguments\": {\"path\": \"b\"}}\n</tool_call>"
                        + "<|im_end|>\n"
                        + "<|im_start|>user\n<tool_response>\nA\n</tool_response>\n<tool_response>\nB\n"
                        + "</tool_response><|im_end|>\n"
                        + "<|im_start|>assistant\n<think>\n\n</think>\n\n");
    }

    @Test
    void should_render_thinking_on_and_off() {
        // given
        List<ChatMessage> messages = List.of(UserMessage.from("hi"));

        // then
        assertThat(PromptFormat.qwen3().render(messages, List.of()))
                .isEqualTo("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
        assertThat(PromptFormat.qwen3Thinking().render(messages, List.of()))
                .isEqualTo("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void should_render_plain_chatml_without_think_blocks() {
        // given
        List<ChatMessage> messages = List.of(
                SystemMessage.from("S"),
                UserMessage.from("Hi"),
                AiMessage.builder().text("Calling.").thinking("plan").toolExecutionRequests(List.of(
                        ToolExecutionRequest.builder().name("f").arguments("{}").build())).build(),
                ToolExecutionResultMessage.from("1", "f", "42"));

        // when
        String prompt = PromptFormat.chatMl().render(messages, List.of());

        // then
        assertThat(prompt).isEqualTo("<|im_start|>system\nS<|im_end|>\n"
                + "<|im_start|>user\nHi<|im_end|>\n"
                + "<|im_start|>assistant\nCalling.\n<tool_call>\n{\"name\": \"f\", \"arguments\": {}}\n</tool_call>"
                + "<|im_end|>\n"
                + "<|im_start|>user\n<tool_response>\n42\n</tool_response><|im_end|>\n"
                + "<|im_start|>assistant\n");
    }

    @Test
    void should_render_a_later_system_message_in_place() {
        assertThat(PromptFormat.chatMl().render(List.of(UserMessage.from("a"), SystemMessage.from("b")), List.of()))
                .isEqualTo("<|im_start|>user\na<|im_end|>\n<|im_start|>system\nb<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void should_join_several_text_contents_of_a_user_message() {
        assertThat(PromptFormat.chatMl().render(List.of(UserMessage.from(TextContent.from("a"), TextContent.from("b"))),
                List.of())).isEqualTo("<|im_start|>user\na\nb<|im_end|>\n<|im_start|>assistant\n");
    }

    @Test
    void should_refuse_non_text_content_naming_it() {
        // given
        UserMessage withImage = UserMessage.from(TextContent.from("look"), ImageContent.from("https://x/y.png"));

        // then
        assertThatThrownBy(() -> PromptFormat.qwen3().render(List.of(withImage), List.of()))
                .isInstanceOf(UnsupportedFeatureException.class)
                .hasMessageContaining("qwen3")
                .hasMessageContaining("IMAGE");
    }

    @Test
    void should_render_json_schemas_like_python_json_dumps() {
        // given
        ToolSpecification tool = ToolSpecification.builder()
                .name("plan")
                .parameters(JsonObjectSchema.builder()
                        .addProperty("city", JsonStringSchema.builder().description("a \"city\"\nname").build())
                        .addIntegerProperty("days")
                        .addNumberProperty("budget")
                        .addBooleanProperty("cheap")
                        .addEnumProperty("unit", List.of("C", "F"))
                        .addProperty("tags", JsonArraySchema.builder().items(new JsonStringSchema()).build())
                        .addProperty("home", JsonObjectSchema.builder().addStringProperty("street").build())
                        .required("city", "days")
                        .build())
                .build();

        // when
        String json = ToolSpecificationJson.toJson(tool);

        // then
        assertThat(json).isEqualTo("{\"type\": \"function\", \"function\": {\"name\": \"plan\", \"parameters\": "
                + "{\"type\": \"object\", \"properties\": {\"city\": {\"type\": \"string\", \"description\": "
                + "\"a \\\"city\\\"\\nname\"}, \"days\": {\"type\": \"integer\"}, \"budget\": {\"type\": \"number\"}, "
                + "\"cheap\": {\"type\": \"boolean\"}, \"unit\": {\"type\": \"string\", \"enum\": [\"C\", \"F\"]}, "
                + "\"tags\": {\"type\": \"array\", \"items\": {\"type\": \"string\"}}, \"home\": {\"type\": "
                + "\"object\", \"properties\": {\"street\": {\"type\": \"string\"}}}}, \"required\": [\"city\", "
                + "\"days\"]}}}");
    }

    @Test
    void should_render_a_tool_without_parameters_with_an_empty_object_schema() {
        assertThat(ToolSpecificationJson.toJson(ToolSpecification.builder().name("now").description("time").build()))
                .isEqualTo("{\"type\": \"function\", \"function\": {\"name\": \"now\", \"description\": \"time\", "
                        + "\"parameters\": {\"type\": \"object\", \"properties\": {}}}}");
    }

    @Test
    void should_name_its_formats() {
        assertThat(PromptFormat.qwen3()).hasToString("PromptFormat.qwen3()");
        assertThat(PromptFormat.qwen3().endMarkers()).containsExactly("<|im_end|>", "<|endoftext|>");
    }
}
