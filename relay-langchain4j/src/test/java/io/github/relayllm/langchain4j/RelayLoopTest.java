package io.github.relayllm.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.ContextLengthExceededException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.call;
import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.eos;
import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.length;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The relay rules of DESIGN section 2, through {@link RelayChatLanguageModel#chat(ChatRequest)}. */
class RelayLoopTest {

    /** The prompt of {@link #ask()} in the default format (Qwen3, non-thinking). */
    static final String P = "<|im_start|>user\nWhat is 17 * 23?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n";

    private final ScriptedCompletionBackend student = new ScriptedCompletionBackend("student");
    private final ScriptedCompletionBackend teacher = new ScriptedCompletionBackend("teacher");

    private RelayChatLanguageModel.Builder relay() {
        return RelayChatLanguageModel.builder().student(student).teacher(teacher);
    }

    private static ChatRequest ask() {
        return ChatRequest.builder().messages(UserMessage.from("What is 17 * 23?")).build();
    }

    private static RelayResponseMetadata relayMetadata(ChatResponse response) {
        return (RelayResponseMetadata) response.metadata();
    }

    @Test
    void should_answer_with_the_student_alone_when_it_writes_no_command() {
        // given
        student.then(eos("391", 2));

        // when
        ChatResponse response = relay().build().chat(ask());

        // then
        assertThat(response.aiMessage().text()).isEqualTo("391");
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(relayMetadata(response).relayFinishReason()).isEqualTo(RelayFinishReason.STUDENT_DONE);
        assertThat(relayMetadata(response).rounds()).isZero();
        assertThat(teacher.requests()).isEmpty();
        CompletionRequest request = student.request(0);
        assertThat(request.prompt()).isEqualTo(P);
        assertThat(request.maxTokens()).isEqualTo(8192);
        assertThat(request.stopStrings()).containsExactly("</call>");
        assertThat(request.exactLength()).isFalse();
    }

    @Test
    void should_keep_the_command_for_the_student_and_strip_it_for_the_teacher() {
        // given
        student.then(call("17 * 23 = <call>5</call>", 8)).then(eos(". Done.", 3));
        teacher.then(length("391", 5));

        // when
        ChatResponse response = relay().build().chat(ask());

        // then
        CompletionRequest teacherRequest = teacher.request(0);
        assertThat(teacherRequest.prompt()).isEqualTo(P + "17 * 23 = ");
        assertThat(teacherRequest.maxTokens()).isEqualTo(5);
        assertThat(teacherRequest.stopStrings()).isEmpty();
        assertThat(teacherRequest.exactLength()).isFalse();
        CompletionRequest second = student.request(1);
        assertThat(second.prompt()).isEqualTo(P + "17 * 23 = <call>5</call>391");
        assertThat(second.maxTokens()).isEqualTo(8192 - 8 - 5);
        assertThat(second.stopStrings()).containsExactly("</call>");
        assertThat(response.aiMessage().text()).isEqualTo("17 * 23 = 391. Done.");
        assertThat(relayMetadata(response).rounds()).isEqualTo(1);
    }

    @Test
    void should_let_the_student_continue_after_a_teacher_span_that_hit_its_length() {
        // given
        student.then(call("a<call>2</call>", 3)).then(call("c<call>2</call>", 3)).then(eos("e", 1));
        teacher.then(length("b", 2)).then(length("d", 2));

        // when
        ChatResponse response = relay().build().chat(ask());

        // then
        assertThat(response.aiMessage().text()).isEqualTo("abcde");
        assertThat(teacher.request(1).prompt()).isEqualTo(P + "abc");
        assertThat(student.request(2).prompt()).isEqualTo(P + "a<call>2</call>bc<call>2</call>d");
        assertThat(relayMetadata(response).rounds()).isEqualTo(2);
    }

    @Test
    void should_end_the_answer_when_the_teacher_writes_end_of_sequence() {
        // given
        student.then(call("17 * 23 = <call>20</call>", 8));
        teacher.then(eos("391.", 3));

        // when
        ChatResponse response = relay().build().chat(ask());

        // then
        assertThat(response.aiMessage().text()).isEqualTo("17 * 23 = 391.");
        assertThat(student.requests()).hasSize(1);
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(relayMetadata(response).relayFinishReason()).isEqualTo(RelayFinishReason.TEACHER_EOS);
    }

    @Test
    void should_clamp_N_to_maxCallTokens() {
        // given
        student.then(call("x<call>1000</call>", 4));
        teacher.then(eos("y", 1));

        // when
        relay().maxCallTokens(256).build().chat(ask());

        // then
        assertThat(teacher.request(0).maxTokens()).isEqualTo(256);
    }

    @Test
    void should_clamp_N_to_the_remaining_token_budget() {
        // given
        student.then(call("x<call>50</call>", 8));
        teacher.then(eos("y", 12));

        // when
        relay().maxTokens(20).build().chat(ask());

        // then
        assertThat(student.request(0).maxTokens()).isEqualTo(20);
        assertThat(teacher.request(0).maxTokens()).isEqualTo(12);
    }

    @Test
    void should_clamp_N_to_the_remaining_teacher_budget() {
        // given
        student.then(call("a<call>6</call>", 3)).then(call("c<call>50</call>", 3));
        teacher.then(length("b", 6)).then(eos("d", 4));

        // when
        ChatResponse response = relay().maxTeacherTokens(10).build().chat(ask());

        // then
        assertThat(teacher.request(1).maxTokens()).isEqualTo(4);
        assertThat(response.aiMessage().text()).isEqualTo("abcd");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<call>0</call>", "<call>-4</call>", "<call> 0 </call>"})
    void should_make_no_call_for_N_zero_or_less_and_keep_the_command_out_of_the_answer(String command) {
        // given
        student.then(call("a " + command, 3)).then(eos("b", 1));

        // when
        ChatResponse response = relay().build().chat(ask());

        // then
        assertThat(teacher.requests()).isEmpty();
        assertThat(student.request(1).prompt()).isEqualTo(P + "a " + command);
        assertThat(response.aiMessage().text()).isEqualTo("a b");
        assertThat(relayMetadata(response).rounds()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"<call></call>", "<call>x</call>", "<call>  </call>", "<call>1.5</call>"})
    void should_use_defaultCallTokens_for_a_command_without_valid_N(String command) {
        // given
        student.then(call("a" + command, 3));
        teacher.then(eos("b", 1));

        // when
        relay().defaultCallTokens(30).build().chat(ask());

        // then
        assertThat(teacher.request(0).maxTokens()).isEqualTo(30);
    }

    @Test
    void should_use_50_tokens_for_a_command_without_valid_N_by_default() {
        // given
        student.then(call("a<call></call>", 3));
        teacher.then(eos("b", 1));

        // when
        relay().build().chat(ask());

        // then
        assertThat(teacher.request(0).maxTokens()).isEqualTo(50);
    }

    @Test
    void should_allow_whitespace_inside_the_tags() {
        // given
        student.then(call("a<call>\n 12 \t</call>", 3));
        teacher.then(eos("b", 1));

        // when
        ChatResponse response = relay().build().chat(ask());

        // then
        assertThat(teacher.request(0).maxTokens()).isEqualTo(12);
        assertThat(response.aiMessage().text()).isEqualTo("ab");
    }

    @Test
    void should_remove_an_unclosed_command_left_at_the_end_of_the_budget() {
        // given
        student.then(length("The answer is <call>1", 10));

        // when
        ChatResponse response = relay().maxTokens(10).build().chat(ask());

        // then
        assertThat(response.aiMessage().text()).isEqualTo("The answer is ");
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(relayMetadata(response).relayFinishReason()).isEqualTo(RelayFinishReason.MAX_TOKENS);
        assertThat(teacher.requests()).isEmpty();
    }

    @Test
    void should_end_with_MAX_TOKENS_when_the_budget_is_spent() {
        // given
        student.then(call("a<call>5</call>", 5)).then(length("cd", 2));
        teacher.then(length("b", 5));

        // when
        ChatResponse response = relay().maxTokens(12).build().chat(ask());

        // then
        assertThat(student.request(1).maxTokens()).isEqualTo(2);
        assertThat(response.aiMessage().text()).isEqualTo("abcd");
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(relayMetadata(response).relayFinishReason()).isEqualTo(RelayFinishReason.MAX_TOKENS);
    }

    @Test
    void should_end_with_MAX_TOKENS_when_a_teacher_span_spends_the_budget() {
        // given
        student.then(call("a<call>50</call>", 5));
        teacher.then(length("b", 5));

        // when
        ChatResponse response = relay().maxTokens(10).build().chat(ask());

        // then
        assertThat(student.requests()).hasSize(1);
        assertThat(response.aiMessage().text()).isEqualTo("ab");
        assertThat(relayMetadata(response).relayFinishReason()).isEqualTo(RelayFinishReason.MAX_TOKENS);
    }

    @Test
    void should_end_with_MAX_ROUNDS_when_the_student_asks_for_one_call_too_many() {
        // given
        student.then(call("a<call>2</call>", 3)).then(call("c<call>2</call>", 3));
        teacher.then(length("b", 2));

        // when
        ChatResponse response = relay().maxRounds(1).build().chat(ask());

        // then
        assertThat(teacher.requests()).hasSize(1);
        assertThat(response.aiMessage().text()).isEqualTo("abc");
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(relayMetadata(response).relayFinishReason()).isEqualTo(RelayFinishReason.MAX_ROUNDS);
        assertThat(relayMetadata(response).rounds()).isEqualTo(1);
    }

    @Test
    void should_end_with_MAX_TEACHER_TOKENS_when_the_teacher_budget_is_spent() {
        // given
        student.then(call("a<call>5</call>", 3)).then(call("c<call>5</call>", 3));
        teacher.then(length("b", 5));

        // when
        ChatResponse response = relay().maxTeacherTokens(5).build().chat(ask());

        // then
        assertThat(teacher.requests()).hasSize(1);
        assertThat(response.aiMessage().text()).isEqualTo("abc");
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(relayMetadata(response).relayFinishReason()).isEqualTo(RelayFinishReason.MAX_TEACHER_TOKENS);
    }

    @Test
    void should_end_with_BACKEND_LENGTH_when_the_student_backend_stops_before_the_budget() {
        // given
        student.then(length("cut short", 3));

        // when
        ChatResponse response = relay().build().chat(ask());

        // then
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(relayMetadata(response).relayFinishReason()).isEqualTo(RelayFinishReason.BACKEND_LENGTH);
    }

    @Test
    void should_use_the_request_maxOutputTokens_as_the_budget() {
        // given
        student.then(eos("a", 1));
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("What is 17 * 23?"))
                .maxOutputTokens(100).build();

        // when
        relay().build().chat(request);

        // then
        assertThat(student.request(0).maxTokens()).isEqualTo(100);
    }

    @Test
    void should_ask_the_teacher_for_exact_length_when_exactCallTokens() {
        // given
        student.then(call("a<call>7</call>", 3)).then(eos("c", 1));
        teacher.then(length("b", 7));

        // when
        relay().exactCallTokens(true).build().chat(ask());

        // then
        assertThat(teacher.request(0).exactLength()).isTrue();
        assertThat(student.request(1).exactLength()).isFalse();
    }

    @Test
    void should_send_sampling_settings_to_both_models() {
        // given
        student.then(call("a<call>7</call>", 3)).then(eos("c", 1));
        teacher.then(length("b", 7));

        // when
        relay().temperature(0.3).topP(0.9).seed(42).build().chat(ask());

        // then
        for (CompletionRequest request : List.of(student.request(0), teacher.request(0), student.request(1))) {
            assertThat(request.temperature()).isEqualTo(0.3);
            assertThat(request.topP()).isEqualTo(0.9);
            assertThat(request.seed()).isEqualTo(42);
        }
    }

    @Test
    void should_take_the_request_temperature_over_the_model_default() {
        // given
        student.then(eos("a", 1));

        // when
        relay().temperature(0.3).build().chat(ChatRequest.builder().messages(UserMessage.from("q"))
                .temperature(0.0).build());

        // then
        assertThat(student.request(0).temperature()).isEqualTo(0.0);
    }

    @Test
    void should_ignore_a_stray_close_tag_and_keep_it_out_of_the_answer() {
        // given
        student.then(call("a </call>", 2)).then(eos("b", 1));

        // when
        ChatResponse response = relay().build().chat(ask());

        // then
        assertThat(teacher.requests()).isEmpty();
        assertThat(student.request(1).prompt()).isEqualTo(P + "a </call>");
        assertThat(response.aiMessage().text()).isEqualTo("a b");
    }

    @Test
    void should_never_parse_commands_in_system_user_or_tool_result_text() {
        // given
        student.then(eos("ok", 1));
        ChatRequest request = ChatRequest.builder().messages(
                SystemMessage.from("Write <call>5</call> to ask."),
                UserMessage.from("Please <call>9</call>"),
                AiMessage.from(ToolExecutionRequest.builder().name("f").arguments("{}").build()),
                ToolExecutionResultMessage.from("1", "f", "result <call>3</call>")).build();

        // when
        ChatResponse response = relay().build().chat(request);

        // then
        assertThat(teacher.requests()).isEmpty();
        assertThat(response.aiMessage().text()).isEqualTo("ok");
        assertThat(student.request(0).prompt()).contains("Write <call>5</call> to ask.", "Please <call>9</call>",
                "result <call>3</call>");
    }

    @Test
    void should_treat_an_end_marker_in_the_text_as_end_of_sequence() {
        // given
        student.then(length("Hi<|im_end|>\n<|im_start|>user", 8));

        // when
        ChatResponse response = relay().build().chat(ask());

        // then
        assertThat(response.aiMessage().text()).isEqualTo("Hi");
        assertThat(relayMetadata(response).relayFinishReason()).isEqualTo(RelayFinishReason.STUDENT_DONE);
    }

    @Test
    void should_end_when_the_teacher_text_holds_an_end_marker() {
        // given
        student.then(call("a<call>5</call>", 3));
        teacher.then(length("b<|im_end|>", 5));

        // when
        ChatResponse response = relay().build().chat(ask());

        // then
        assertThat(response.aiMessage().text()).isEqualTo("ab");
        assertThat(relayMetadata(response).relayFinishReason()).isEqualTo(RelayFinishReason.TEACHER_EOS);
    }

    // ---- failures ----

    @Test
    void should_throw_naming_the_teacher_and_the_round_under_FAIL() {
        // given
        student.then(call("a<call>2</call>", 3)).then(call("c<call>2</call>", 3));
        teacher.then(length("b", 2)).thenFail(new IllegalStateException("connection refused"));
        RelayChatLanguageModel model = relay().teacherFailurePolicy(TeacherFailurePolicy.FAIL).build();

        // then
        assertThatThrownBy(() -> model.chat(ask()))
                .isInstanceOf(RelayBackendException.class)
                .hasMessageContaining("teacher backend 'scripted(teacher)' failed in round 2")
                .hasMessageContaining("connection refused")
                .hasCauseInstanceOf(IllegalStateException.class)
                .satisfies(e -> {
                    RelayBackendException failure = (RelayBackendException) e;
                    assertThat(failure.role()).isEqualTo(RelayRole.TEACHER);
                    assertThat(failure.round()).isEqualTo(2);
                    assertThat(failure.backendName()).isEqualTo("scripted(teacher)");
                });
    }

    @Test
    void should_continue_with_the_student_and_forbid_further_calls_after_a_teacher_failure() {
        // given
        student.then(call("a <call>5</call>", 3)).then(call("b <call>7</call>", 3)).then(eos("c", 1));
        teacher.thenFail(new dev.langchain4j.exception.TimeoutException("timed out"));

        // when
        ChatResponse response = relay().build().chat(ask());

        // then
        assertThat(teacher.requests()).hasSize(1);
        assertThat(student.request(1).prompt()).isEqualTo(P + "a ");
        assertThat(student.request(2).prompt()).isEqualTo(P + "a b <call>7</call>");
        assertThat(response.aiMessage().text()).isEqualTo("a b c");
        RelayResponseMetadata metadata = relayMetadata(response);
        assertThat(metadata.rounds()).isEqualTo(1);
        assertThat(metadata.failedRounds()).isEqualTo(1);
        assertThat(metadata.teacherTokens()).isZero();
        assertThat(metadata.relayFinishReason()).isEqualTo(RelayFinishReason.STUDENT_DONE);
    }

    @Test
    void should_throw_naming_the_student_when_the_student_fails() {
        // given
        student.then(call("a<call>2</call>", 3)).thenFail(new IllegalStateException("model not found"));
        teacher.then(length("b", 2));

        // then
        assertThatThrownBy(() -> relay().build().chat(ask()))
                .isInstanceOf(RelayBackendException.class)
                .hasMessageContaining("student backend 'scripted(student)' failed (after 1 teacher round(s))")
                .hasMessageContaining("model not found")
                .satisfies(e -> assertThat(((RelayBackendException) e).role()).isEqualTo(RelayRole.STUDENT));
    }

    @Test
    void should_end_with_BACKEND_LENGTH_and_keep_the_text_when_the_relay_fills_the_student_context() {
        // given: the teacher's span leaves the student's context full
        student.then(call("a <call>5</call>", 3))
                .thenFail(new ContextLengthExceededException("the prompt has 393 tokens, which leaves no room"));
        teacher.then(length("bcdef", 5));

        // when
        ChatResponse response = relay().build().chat(ask());

        // then
        assertThat(response.aiMessage().text()).isEqualTo("a bcdef");
        assertThat(response.finishReason()).isEqualTo(FinishReason.LENGTH);
        RelayResponseMetadata metadata = relayMetadata(response);
        assertThat(metadata.relayFinishReason()).isEqualTo(RelayFinishReason.BACKEND_LENGTH);
        assertThat(metadata.rounds()).isEqualTo(1);
        assertThat(metadata.teacherTokens()).isEqualTo(5);
    }

    @Test
    void should_end_with_BACKEND_LENGTH_when_the_relay_fills_the_teacher_context_even_under_FAIL() {
        // given
        student.then(call("a <call>5</call>", 3));
        teacher.thenFail(new ContextLengthExceededException("exactLength asks for 5 tokens but only 2 fit"));

        // when
        ChatResponse response = relay().teacherFailurePolicy(TeacherFailurePolicy.FAIL).build().chat(ask());

        // then
        assertThat(response.aiMessage().text()).isEqualTo("a ");
        assertThat(relayMetadata(response).relayFinishReason()).isEqualTo(RelayFinishReason.BACKEND_LENGTH);
        assertThat(relayMetadata(response).failedRounds()).isEqualTo(1);
        assertThat(student.requests()).hasSize(1);
    }

    @Test
    void should_throw_when_the_conversation_alone_is_over_the_student_context() {
        // given
        student.thenFail(new ContextLengthExceededException("the prompt has 900 tokens, which leaves no room"));

        // then
        assertThatThrownBy(() -> relay().build().chat(ask()))
                .isInstanceOf(RelayBackendException.class)
                .hasMessageContaining("student backend 'scripted(student)' failed (after 0 teacher round(s))")
                .hasMessageContaining("the prompt has 900 tokens")
                .hasCauseInstanceOf(ContextLengthExceededException.class);
    }

    // ---- policies ----

    @Test
    void should_never_call_a_teacher_under_never() {
        // given
        student.then(call("a <call>50</call>", 3)).then(eos("b", 1));
        RelayChatLanguageModel model = RelayChatLanguageModel.builder().student(student)
                .callPolicy(CallPolicy.never()).build();

        // when
        ChatResponse response = model.chat(ask());

        // then
        assertThat(response.aiMessage().text()).isEqualTo("a b");
        assertThat(student.request(1).prompt()).isEqualTo(P + "a <call>50</call>");
        assertThat(relayMetadata(response).rounds()).isZero();
        assertThat(relayMetadata(response).callRatio()).isZero();
    }

    @Test
    void should_let_the_teacher_write_the_whole_answer_under_teacherOnly() {
        // given
        teacher.then(eos("391", 2));
        RelayChatLanguageModel model = RelayChatLanguageModel.builder().teacher(teacher)
                .callPolicy(CallPolicy.teacherOnly()).maxTokens(100).build();

        // when
        ChatResponse response = model.chat(ask());

        // then
        assertThat(response.aiMessage().text()).isEqualTo("391");
        CompletionRequest request = teacher.request(0);
        assertThat(request.prompt()).isEqualTo(P);
        assertThat(request.maxTokens()).isEqualTo(100);
        assertThat(request.stopStrings()).isEmpty();
        RelayResponseMetadata metadata = relayMetadata(response);
        assertThat(metadata.rounds()).isEqualTo(1);
        assertThat(metadata.callRatio()).isEqualTo(1.0);
        assertThat(metadata.relayFinishReason()).isEqualTo(RelayFinishReason.TEACHER_EOS);
    }

    @Test
    void should_cap_the_teacher_only_answer_by_maxTeacherTokens() {
        // given
        teacher.then(length("39", 10));
        RelayChatLanguageModel model = RelayChatLanguageModel.builder().teacher(teacher)
                .callPolicy(CallPolicy.teacherOnly()).maxTeacherTokens(10).build();

        // when
        ChatResponse response = model.chat(ask());

        // then
        assertThat(teacher.request(0).maxTokens()).isEqualTo(10);
        assertThat(relayMetadata(response).relayFinishReason()).isEqualTo(RelayFinishReason.MAX_TEACHER_TOKENS);
    }

    @Test
    void should_fall_back_to_the_student_when_the_teacher_only_answer_fails() {
        // given
        teacher.thenFail(new IllegalStateException("down"));
        student.then(call("x <call>5</call>", 3)).then(eos("y", 1));
        RelayChatLanguageModel model = relay().callPolicy(CallPolicy.teacherOnly()).build();

        // when
        ChatResponse response = model.chat(ask());

        // then
        assertThat(response.aiMessage().text()).isEqualTo("x y");
        assertThat(teacher.requests()).hasSize(1);
        assertThat(relayMetadata(response).failedRounds()).isEqualTo(1);
    }

    @Test
    void should_throw_when_the_teacher_only_answer_fails_without_a_student() {
        // given
        teacher.thenFail(new IllegalStateException("down"));
        RelayChatLanguageModel model = RelayChatLanguageModel.builder().teacher(teacher)
                .callPolicy(CallPolicy.teacherOnly()).build();

        // then
        assertThatThrownBy(() -> model.chat(ask()))
                .isInstanceOf(RelayBackendException.class)
                .hasMessageContaining("teacher backend 'scripted(teacher)' failed")
                .hasMessageContaining("down");
    }

    // ---- metadata ----

    @Test
    void should_report_tokens_ratio_segments_rounds_and_usage() {
        // given
        student.then(Completion.builder().text("17 * 23 = <call>5</call>").generatedTokens(8).promptTokens(20)
                        .cachedPromptTokens(0).finishReason(Completion.FinishReason.STOP).stopString("</call>").build())
                .then(Completion.builder().text(", so <call>0</call>").generatedTokens(6).promptTokens(33)
                        .cachedPromptTokens(28).finishReason(Completion.FinishReason.STOP).stopString("</call>")
                        .build())
                .then(Completion.builder().text("the answer is 391.").generatedTokens(4).promptTokens(40)
                        .finishReason(Completion.FinishReason.EOS).build());
        teacher.then(Completion.builder().text("391").generatedTokens(2).promptTokens(25)
                .finishReason(Completion.FinishReason.LENGTH).build());

        // when
        ChatResponse response = relay().modelName("relay-test").build().chat(ask());

        // then
        assertThat(response.aiMessage().text()).isEqualTo("17 * 23 = 391, so the answer is 391.");
        RelayResponseMetadata metadata = relayMetadata(response);
        assertThat(metadata.studentTokens()).isEqualTo(18);
        assertThat(metadata.teacherTokens()).isEqualTo(2);
        assertThat(metadata.callRatio()).isEqualTo(0.1);
        assertThat(metadata.rounds()).isEqualTo(1);
        assertThat(metadata.failedRounds()).isZero();
        assertThat(metadata.studentPromptTokens()).isEqualTo(93);
        assertThat(metadata.teacherPromptTokens()).isEqualTo(25);
        assertThat(metadata.studentCachedPromptTokens()).isEqualTo(28);
        assertThat(metadata.teacherCachedPromptTokens()).isNull();
        assertThat(metadata.segments()).containsExactly(
                new RelaySegment(RelayRole.STUDENT, "17 * 23 = ", 8),
                new RelaySegment(RelayRole.TEACHER, "391", 2),
                new RelaySegment(RelayRole.STUDENT, ", so the answer is 391.", 10));
        assertThat(metadata.tokenUsage()).isEqualTo(new TokenUsage(118, 20));
        assertThat(response.tokenUsage()).isEqualTo(new TokenUsage(118, 20));
        assertThat(metadata.modelName()).isEqualTo("relay-test");
        assertThat(metadata.studentLatency()).isPositive();
        assertThat(metadata.teacherLatency()).isPositive();
        assertThat(metadata.relayFinishReason()).isEqualTo(RelayFinishReason.STUDENT_DONE);
    }

    @Test
    void should_name_the_model_after_its_backends_by_default() {
        // given
        student.then(eos("a", 1));

        // when
        ChatResponse response = relay().build().chat(ask());

        // then
        assertThat(response.modelName()).isEqualTo("relay(student+teacher)");
    }

    // ---- tools and request parameters ----

    @Test
    void should_parse_tool_calls_and_finish_with_TOOL_EXECUTION() {
        // given
        student.then(call("<tool_call>\n{\"name\": \"multiply\", \"arguments\": <call>9</call>", 9))
                .then(eos("}\n</tool_call>", 3));
        teacher.then(length("{\"a\": 17, \"b\": 23}", 9));
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("17 * 23?"))
                .toolSpecifications(ToolSpecification.builder().name("multiply").build()).build();

        // when
        ChatResponse response = relay().build().chat(request);

        // then
        assertThat(student.request(0).prompt()).contains("<tools>\n{\"type\": \"function\", \"function\": "
                + "{\"name\": \"multiply\"");
        assertThat(response.aiMessage().toolExecutionRequests())
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("id")
                .containsExactly(ToolExecutionRequest.builder()
                .name("multiply").arguments("{\"a\":17,\"b\":23}").build());
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
    }

    @Test
    void should_not_render_tools_when_toolChoice_is_NONE() {
        // given
        student.then(eos("a", 1));
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("q"))
                .toolSpecifications(ToolSpecification.builder().name("multiply").build())
                .toolChoice(ToolChoice.NONE).build();

        // when
        relay().build().chat(request);

        // then
        assertThat(student.request(0).prompt()).doesNotContain("<tools>");
    }

    @Test
    void should_reject_request_parameters_the_relay_cannot_honour() {
        RelayChatLanguageModel model = relay().build();
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("q")).topK(5).build()))
                .isInstanceOf(UnsupportedFeatureException.class).hasMessageStartingWith("topK is not supported");
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("q"))
                .stopSequences(List.of("x")).build()))
                .isInstanceOf(UnsupportedFeatureException.class).hasMessageStartingWith("stopSequences");
        assertThat(student.requests()).isEmpty();
    }
}
