package io.github.relayllm.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import io.github.relayllm.langchain4j.format.PromptFormat;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.call;
import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.eos;
import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.length;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tool calls in the Qwen3 (Hermes) format: several per turn, problems reported, toolChoice REQUIRED. */
class RelayToolCallingTest {

    private static final ToolSpecification MULTIPLY = ToolSpecification.builder().name("multiply")
            .description("Multiplies two integers")
            .parameters(JsonObjectSchema.builder().addIntegerProperty("a").addIntegerProperty("b").required("a", "b")
                    .build())
            .build();
    private static final ToolSpecification ADD = ToolSpecification.builder().name("add").build();

    private final ScriptedCompletionBackend student = new ScriptedCompletionBackend("student");
    private final ScriptedCompletionBackend teacher = new ScriptedCompletionBackend("teacher");

    private RelayChatLanguageModel model() {
        return RelayChatLanguageModel.builder().student(student).teacher(teacher).build();
    }

    private static ChatRequest withTools(ToolChoice toolChoice) {
        return ChatRequest.builder()
                .messages(SystemMessage.from("You are a calculator."), UserMessage.from("17 * 23 and 1 + 2?"))
                .toolSpecifications(MULTIPLY, ADD).toolChoice(toolChoice).build();
    }

    private static RelayResponseMetadata relay(ChatResponse response) {
        return (RelayResponseMetadata) response.metadata();
    }

    @Test
    void should_render_the_tools_into_the_system_turn_after_the_system_message() {
        // given
        student.then(eos("ok", 1));

        // when
        model().chat(withTools(ToolChoice.AUTO));

        // then
        assertThat(student.request(0).prompt()).startsWith("<|im_start|>system\nYou are a calculator.\n\n# Tools\n\n")
                .contains("<tools>\n{\"type\": \"function\", \"function\": {\"name\": \"multiply\", \"description\": "
                        + "\"Multiplies two integers\", \"parameters\": {\"type\": \"object\", \"properties\": "
                        + "{\"a\": {\"type\": \"integer\"}, \"b\": {\"type\": \"integer\"}}, \"required\": [\"a\", \"b\"]}}}\n"
                        + "{\"type\": \"function\", \"function\": {\"name\": \"add\"");
    }

    @Test
    void should_parse_several_calls_of_one_turn_with_the_teacher_writing_inside_one() {
        // given
        student.then(call("<tool_call>\n{\"name\": \"multiply\", \"arguments\": <call>9</call>", 9))
                .then(eos("}\n</tool_call>\n<tool_call>\n{\"name\": \"add\", \"arguments\": {\"a\": 1, \"b\": 2}}\n"
                        + "</tool_call>", 20));
        teacher.then(length("{\"a\": 17, \"b\": 23}", 9));

        // when
        ChatResponse response = model().chat(withTools(ToolChoice.AUTO));

        // then
        assertThat(response.aiMessage().toolExecutionRequests())
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("id")
                .containsExactly(
                        ToolExecutionRequest.builder().name("multiply").arguments("{\"a\":17,\"b\":23}").build(),
                        ToolExecutionRequest.builder().name("add").arguments("{\"a\":1,\"b\":2}").build());
        assertThat(response.aiMessage().text()).isNull();
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(relay(response).toolCallProblems()).isEmpty();
        assertThat(relay(response).teacherTokens()).isEqualTo(9);
    }

    @Test
    void should_keep_a_call_with_invalid_json_in_the_text_and_report_it() {
        // given
        student.then(eos("<tool_call>\n{\"name\": \"multiply\", \"arguments\": {\"a\": 17,}}\n</tool_call>", 20));

        // when
        ChatResponse response = model().chat(withTools(ToolChoice.AUTO));

        // then
        assertThat(response.aiMessage().hasToolExecutionRequests()).isFalse();
        assertThat(response.aiMessage().text()).contains("{\"name\": \"multiply\", \"arguments\": {\"a\": 17,}}");
        assertThat(relay(response).toolCallProblems()).singleElement().asString()
                .startsWith("tool call 1 is not valid JSON (")
                .endsWith("): {\"name\": \"multiply\", \"arguments\": {\"a\": 17,}}");
    }

    @Test
    void should_keep_a_call_of_an_unknown_tool_as_a_request_and_report_it() {
        // given
        student.then(eos("<tool_call>\n{\"name\": \"divide\", \"arguments\": {\"a\": 1}}\n</tool_call>\n"
                + "<tool_call>\n{\"name\": \"add\", \"arguments\": {}}\n</tool_call>\n<tool_call>\n{\"name\"", 30));

        // when
        ChatResponse response = model().chat(withTools(ToolChoice.AUTO));

        // then
        assertThat(response.aiMessage().toolExecutionRequests()).extracting(ToolExecutionRequest::name)
                .containsExactly("divide", "add");
        assertThat(relay(response).toolCallProblems()).containsExactly(
                "tool call 1 names the unknown tool 'divide' (the request offers multiply, add)",
                "tool call 3 is not closed with </tool_call> (the answer ended inside it): <tool_call>\\n{\"name\"");
    }

    @Test
    void should_start_the_answer_with_a_tool_call_when_toolChoice_is_REQUIRED() {
        // given
        student.then(eos("{\"name\": \"add\", \"arguments\": {\"a\": 1, \"b\": 2}}\n</tool_call>", 20));

        // when
        ChatResponse response = model().chat(withTools(ToolChoice.REQUIRED));

        // then
        assertThat(student.request(0).prompt()).endsWith("<think>\n\n</think>\n\n<tool_call>\n");
        assertThat(response.aiMessage().toolExecutionRequests())
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("id")
                .containsExactly(
                        ToolExecutionRequest.builder().name("add").arguments("{\"a\":1,\"b\":2}").build());
        assertThat(relay(response).segments()).first().isEqualTo(new RelaySegment(RelayRole.STUDENT,
                "<tool_call>\n{\"name\": \"add\", \"arguments\": {\"a\": 1, \"b\": 2}}\n</tool_call>", 20));
    }

    @Test
    void should_start_the_teacher_only_answer_with_a_tool_call_when_toolChoice_is_REQUIRED() {
        // given
        teacher.then(eos("{\"name\": \"add\", \"arguments\": {}}\n</tool_call>", 20));
        RelayChatLanguageModel model = RelayChatLanguageModel.builder().teacher(teacher)
                .callPolicy(CallPolicy.teacherOnly()).build();

        // when
        ChatResponse response = model.chat(withTools(ToolChoice.REQUIRED));

        // then
        assertThat(teacher.request(0).prompt()).endsWith("</think>\n\n<tool_call>\n");
        assertThat(response.aiMessage().toolExecutionRequests()).extracting(ToolExecutionRequest::name)
                .containsExactly("add");
    }

    @Test
    void should_reject_toolChoice_REQUIRED_without_tools_or_with_a_format_that_cannot_force_a_call() {
        RelayChatLanguageModel model = model();
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("q"))
                .toolChoice(ToolChoice.REQUIRED).build()))
                .hasMessageContaining("toolChoice REQUIRED").hasMessageContaining("toolSpecifications");
        PromptFormat plain = new PromptFormat() {
            @Override
            public String render(List<dev.langchain4j.data.message.ChatMessage> messages,
                                 List<ToolSpecification> toolSpecifications) {
                return "prompt";
            }

            @Override
            public dev.langchain4j.data.message.AiMessage parseAnswer(String answer) {
                return dev.langchain4j.data.message.AiMessage.from(answer);
            }
        };
        RelayChatLanguageModel plainModel = RelayChatLanguageModel.builder().student(student).teacher(teacher)
                .promptFormat(plain).build();
        assertThatThrownBy(() -> plainModel.chat(withTools(ToolChoice.REQUIRED)))
                .isInstanceOf(dev.langchain4j.exception.UnsupportedFeatureException.class)
                .hasMessageContaining("toolChoice REQUIRED is not supported with")
                .hasMessageContaining("PromptFormat.toolCallStart()");
        assertThat(student.requests()).isEmpty();
    }

    @Test
    void should_say_which_capabilities_it_supports() {
        assertThat(model().supportedCapabilities()).containsExactly(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
        assertThat(RelayStreamingChatLanguageModel.builder().student(student).teacher(teacher).build()
                .supportedCapabilities()).containsExactly(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }
}
