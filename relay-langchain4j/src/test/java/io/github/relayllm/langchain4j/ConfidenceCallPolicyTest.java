package io.github.relayllm.langchain4j;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.TokenLogprob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntToDoubleFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The training-free relay ({@link CallPolicy#confidence}) on scripted token probabilities. */
class ConfidenceCallPolicyTest {

    private static final String ANSWER = "12+30=42\n42*2=84\n#### 84";

    private static ChatRequest ask() {
        return ChatRequest.builder().messages(UserMessage.from("What is (12+30)*2?")).build();
    }

    /** The student is unsure (probability 0.1) at the given answer positions, sure (0.9) elsewhere. */
    private static IntToDoubleFunction unsureAt(Integer... positions) {
        Set<Integer> unsure = Set.of(positions);
        return position -> unsure.contains(position) ? 0.1 : 0.9;
    }

    private static PositionalCompletionBackend teacher() {
        return new PositionalCompletionBackend("teacher", ANSWER, position -> 1.0, true);
    }

    private static List<RelaySegment> segments(ChatResponse response) {
        return ((RelayResponseMetadata) response.metadata()).segments();
    }

    private static RelayResponseMetadata metadata(ChatResponse response) {
        return (RelayResponseMetadata) response.metadata();
    }

    @Test
    void should_hand_each_unsure_token_and_the_span_after_it_to_the_teacher() {
        // given
        PositionalCompletionBackend student = new PositionalCompletionBackend("student", ANSWER, unsureAt(3, 12), true);
        PositionalCompletionBackend teacher = teacher();

        // when
        ChatResponse response = RelayChatLanguageModel.builder().student(student).teacher(teacher)
                .callPolicy(CallPolicy.confidence(0.5, 2)).build().chat(ask());

        // then: positions 3-4 and 12-13 are the teacher's
        assertThat(response.aiMessage().text()).isEqualTo(ANSWER);
        assertThat(segments(response)).extracting(RelaySegment::role, RelaySegment::text).containsExactly(
                org.assertj.core.groups.Tuple.tuple(RelayRole.STUDENT, "12+"),
                org.assertj.core.groups.Tuple.tuple(RelayRole.TEACHER, "30"),
                org.assertj.core.groups.Tuple.tuple(RelayRole.STUDENT, "=42\n42*"),
                org.assertj.core.groups.Tuple.tuple(RelayRole.TEACHER, "2="),
                org.assertj.core.groups.Tuple.tuple(RelayRole.STUDENT, "84\n#### 84"));
        assertThat(metadata(response).rounds()).isEqualTo(2);
        assertThat(metadata(response).teacherTokens()).isEqualTo(4);
        assertThat(teacher.requests()).allSatisfy(request -> {
            assertThat(request.maxTokens()).isEqualTo(2);
            assertThat(request.logprobs()).isNull();
        });
        assertThat(student.requests()).allSatisfy(request -> assertThat(request.logprobs()).isZero());
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void should_generate_no_token_twice(boolean streaming) {
        // given: unsure at many places, some right after a teacher span
        PositionalCompletionBackend student = new PositionalCompletionBackend("student", ANSWER,
                unsureAt(0, 3, 5, 6, 7, 15, 20), true);
        PositionalCompletionBackend teacher = teacher();
        CallPolicy policy = CallPolicy.confidence(0.5, 2);

        // when
        String text;
        RelayResponseMetadata metadata;
        if (streaming) {
            RecordingStreamingHandler handler = new RecordingStreamingHandler();
            RelayStreamingChatLanguageModel.builder().student(student).teacher(teacher).callPolicy(policy).build()
                    .chat(ask(), handler);
            handler.await();
            assertThat(handler.errors).isEmpty();
            ChatResponse response = handler.completions.get(0);
            text = response.aiMessage().text();
            metadata = metadata(response);
            assertThat(handler.text()).isEqualTo(ANSWER);
        } else {
            ChatResponse response = RelayChatLanguageModel.builder().student(student).teacher(teacher)
                    .callPolicy(policy).build().chat(ask());
            text = response.aiMessage().text();
            metadata = metadata(response);
        }

        // then: every kept token is one answer position (plus the student's end-of-sequence), and the student never
        // generated a position twice: a refused position is the teacher's, and the student resumes after the span
        assertThat(text).isEqualTo(ANSWER);
        assertThat(metadata.studentTokens() + metadata.teacherTokens()).isEqualTo(ANSWER.length() + 1);
        assertThat(new HashSet<>(student.offeredPositions())).hasSameSizeAs(student.offeredPositions());
        assertThat(new HashSet<>(teacher.offeredPositions())).hasSameSizeAs(teacher.offeredPositions());
        assertThat(student.offeredPositions()).hasSize(metadata.studentTokens() + metadata.rounds());
    }

    @Test
    void should_wait_the_minimum_gap_after_a_teacher_span_before_calling_again() {
        // given: unsure everywhere in 3..9
        PositionalCompletionBackend student = new PositionalCompletionBackend("student", ANSWER,
                unsureAt(3, 4, 5, 6, 7, 8, 9), true);
        CallPolicy policy = CallPolicy.confidence().threshold(0.5).spanTokens(1).minGapTokens(2).build();

        // when
        ChatResponse response = RelayChatLanguageModel.builder().student(student).teacher(teacher())
                .callPolicy(policy).build().chat(ask());

        // then: calls at 3, 6 (after the student kept 4 and 5) and 9 (after 7 and 8)
        assertThat(segments(response)).filteredOn(segment -> segment.role() == RelayRole.TEACHER)
                .extracting(RelaySegment::text).containsExactly("3", "4", "4");
        assertThat(response.aiMessage().text()).isEqualTo(ANSWER);
    }

    @Test
    void should_let_the_student_finish_alone_once_max_rounds_is_spent() {
        // given
        PositionalCompletionBackend student = new PositionalCompletionBackend("student", ANSWER, unsureAt(1, 5, 9), true);

        // when
        ChatResponse response = RelayChatLanguageModel.builder().student(student).teacher(teacher())
                .callPolicy(CallPolicy.confidence(0.5, 2)).maxRounds(1).build().chat(ask());

        // then
        assertThat(metadata(response).rounds()).isEqualTo(1);
        assertThat(metadata(response).relayFinishReason()).isEqualTo(RelayFinishReason.STUDENT_DONE);
        assertThat(response.aiMessage().text()).isEqualTo(ANSWER);
        assertThat(segments(response)).filteredOn(segment -> segment.role() == RelayRole.TEACHER)
                .extracting(RelaySegment::text).containsExactly("2+");
    }

    @Test
    void should_clamp_the_span_to_max_call_tokens_and_max_teacher_tokens() {
        // given
        PositionalCompletionBackend student = new PositionalCompletionBackend("student", ANSWER, unsureAt(0, 9), true);
        PositionalCompletionBackend teacher = teacher();

        // when
        ChatResponse response = RelayChatLanguageModel.builder().student(student).teacher(teacher)
                .callPolicy(CallPolicy.confidence(0.5, 6)).maxCallTokens(4).maxTeacherTokens(5).build().chat(ask());

        // then: 4 tokens in the first call, the last 1 of the cap in the second, then no more calls
        assertThat(teacher.requests()).extracting(CompletionRequest::maxTokens).containsExactly(4, 1);
        assertThat(metadata(response).teacherTokens()).isEqualTo(5);
        assertThat(response.aiMessage().text()).isEqualTo(ANSWER);
    }

    @Test
    void should_end_the_answer_when_the_teacher_ends_it_inside_its_span() {
        // given: unsure near the end; the teacher's span reaches its end-of-sequence
        PositionalCompletionBackend student = new PositionalCompletionBackend("student", ANSWER,
                unsureAt(ANSWER.length() - 2), true);

        // when
        ChatResponse response = RelayChatLanguageModel.builder().student(student).teacher(teacher())
                .callPolicy(CallPolicy.confidence(0.5, 8)).build().chat(ask());

        // then
        assertThat(response.aiMessage().text()).isEqualTo(ANSWER);
        assertThat(metadata(response).relayFinishReason()).isEqualTo(RelayFinishReason.TEACHER_EOS);
        assertThat(metadata(response).teacherTokens()).isEqualTo(3);
    }

    @Test
    void should_cut_the_completion_of_a_backend_that_cannot_refuse_tokens_and_give_the_same_answer() {
        // given
        PositionalCompletionBackend refusing = new PositionalCompletionBackend("student", ANSWER, unsureAt(3, 12), true);
        PositionalCompletionBackend notRefusing = new PositionalCompletionBackend("student", ANSWER, unsureAt(3, 12), false);
        CallPolicy policy = CallPolicy.confidence(0.5, 2);

        // when
        ChatResponse expected = RelayChatLanguageModel.builder().student(refusing).teacher(teacher()).callPolicy(policy)
                .build().chat(ask());
        ChatResponse actual = RelayChatLanguageModel.builder().student(notRefusing).teacher(teacher()).callPolicy(policy)
                .build().chat(ask());

        // then: the same answer and counts; only the tokens generated in vain differ
        assertThat(actual.aiMessage().text()).isEqualTo(expected.aiMessage().text());
        assertThat(segments(actual)).isEqualTo(segments(expected));
        assertThat(notRefusing.offeredPositions().size()).isGreaterThan(refusing.offeredPositions().size());
    }

    @Test
    void should_reject_a_student_that_cannot_report_probabilities_at_build_time() {
        // given
        ScriptedCompletionBackend student = new ScriptedCompletionBackend("plain");

        // when / then
        assertThatThrownBy(() -> RelayChatLanguageModel.builder().student(student).teacher(teacher())
                .callPolicy(CallPolicy.confidence(0.3, 16)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scripted(plain) cannot report them")
                .hasMessageContaining("JavaLlamaCompletionBackend");
        assertThatThrownBy(() -> RelayStreamingChatLanguageModel.builder().student(student).teacher(teacher())
                .callPolicy(CallPolicy.confidence(0.3, 16)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot report them");
    }

    @Test
    void should_judge_entropy_from_the_top_alternatives() {
        // given
        ConfidenceCallPolicy policy = CallPolicy.confidence().threshold(0.5).criterion(
                ConfidenceCallPolicy.Criterion.ENTROPY).build();
        TokenLogprob peaked = new TokenLogprob("a", Math.log(0.97), List.of(new TokenLogprob("a", Math.log(0.97)),
                new TokenLogprob("b", Math.log(0.02))));
        TokenLogprob spread = new TokenLogprob("a", Math.log(0.4), List.of(new TokenLogprob("a", Math.log(0.4)),
                new TokenLogprob("b", Math.log(0.35)), new TokenLogprob("c", Math.log(0.25))));

        // when / then
        assertThat(policy.unsure(peaked)).isFalse();
        assertThat(policy.unsure(spread)).isTrue();
        assertThat(spread.entropy()).isCloseTo(1.0805, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(policy.topLogprobs()).isEqualTo(10);
        assertThat(CallPolicy.confidence(0.2, 4).unsure(new TokenLogprob("x", Math.log(0.19)))).isTrue();
        assertThat(CallPolicy.confidence(0.2, 4).unsure(new TokenLogprob("x", Math.log(0.21)))).isFalse();
    }

    @Test
    void should_read_back_its_name_and_reject_bad_options() {
        // given
        ConfidenceCallPolicy policy = CallPolicy.confidence().threshold(0.25).spanTokens(8).minGapTokens(3)
                .criterion(ConfidenceCallPolicy.Criterion.ENTROPY).topLogprobs(5).build();

        // when / then
        assertThat(policy.name()).isEqualTo("confidence:0.25:8:entropy:gap=3:top=5");
        assertThat(CallPolicy.fromName(policy.name())).isEqualTo(policy);
        assertThat(CallPolicy.fromName("confidence:0.4")).isEqualTo(CallPolicy.confidence(0.4, 16));
        assertThat(CallPolicy.confidence(0.4, 16).toString()).isEqualTo("CallPolicy.confidence(0.4:16)");
        assertThatThrownBy(() -> CallPolicy.fromName("confidence")).hasMessageContaining("needs a threshold");
        assertThatThrownBy(() -> CallPolicy.fromName("confidence:x")).hasMessageContaining("malformed number");
        assertThatThrownBy(() -> CallPolicy.fromName("confidence:0.4:8:bogus")).hasMessageContaining("'bogus'");
        assertThatThrownBy(() -> CallPolicy.confidence(1.5, 8)).hasMessageContaining("between 0 and 1");
        assertThatThrownBy(() -> CallPolicy.confidence(0.5, 0)).hasMessageContaining("spanTokens");
        assertThatThrownBy(() -> CallPolicy.confidence().build()).hasMessageContaining("threshold must be set");
    }
}
