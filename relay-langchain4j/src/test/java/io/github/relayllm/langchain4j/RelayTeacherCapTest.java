package io.github.relayllm.langchain4j;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.call;
import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.eos;
import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.length;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code maxTeacherTokens} is a cap, not a setting of the models: an answer that never needs more teacher tokens
 * than the cap gets the same text, the same metadata and the same backend requests with the cap as without it.
 */
class RelayTeacherCapTest {

    /** The teacher's spans of {@link #script}: 6 + 1 + 50 tokens (the last for a command without N). */
    private static final int TEACHER_TOKENS = 57;

    /** Both backends, scripted alike for every run: three calls, the last one for the default 50 tokens. */
    private record Pair(ScriptedCompletionBackend student, ScriptedCompletionBackend teacher) {

        static Pair script() {
            ScriptedCompletionBackend student = new ScriptedCompletionBackend("student")
                    .then(call("A s<call>6</call>", 6))
                    .then(call("has 92<call>1</call>", 9))
                    .then(call(" coins.\nFirst it loses 74: <call></call>", 16))
                    .then(eos("\n#### 868", 8));
            ScriptedCompletionBackend teacher = new ScriptedCompletionBackend("teacher")
                    .then(length("chool ", 6))
                    .then(length("3", 1))
                    .then(length("3290-4700 3409 2714 9018 0000 =9480", 50));
            return new Pair(student, teacher);
        }
    }

    /** One answer and the requests both backends got for it. */
    private record Run(ChatResponse response, List<CompletionRequest> studentRequests,
                       List<CompletionRequest> teacherRequests) {
    }

    private static ChatRequest ask() {
        return ChatRequest.builder().messages(UserMessage.from(
                "A school has 923 coins. First it loses 74. Then it gives 25. Finally it buys 44. How many now?"))
                .build();
    }

    private static Run blocking(Function<RelayChatLanguageModel.Builder, RelayChatLanguageModel.Builder> settings) {
        Pair pair = Pair.script();
        ChatResponse response = settings.apply(RelayChatLanguageModel.builder()
                .student(pair.student()).teacher(pair.teacher())).build().chat(ask());
        return new Run(response, pair.student().requests(), pair.teacher().requests());
    }

    private static Run streaming(
            Function<RelayStreamingChatLanguageModel.Builder, RelayStreamingChatLanguageModel.Builder> settings) {
        Pair pair = Pair.script();
        RecordingStreamingHandler handler = new RecordingStreamingHandler();
        settings.apply(RelayStreamingChatLanguageModel.builder().student(pair.student()).teacher(pair.teacher()))
                .build().chat(ask(), handler);
        handler.await();
        assertThat(handler.errors).isEmpty();
        return new Run(handler.completions.get(0), pair.student().requests(), pair.teacher().requests());
    }

    /** The metadata without the latencies, which differ from run to run. */
    private static RelayResponseMetadata withoutLatency(ChatResponse response) {
        return ((RelayResponseMetadata) response.metadata()).toBuilder()
                .studentLatency(Duration.ZERO).teacherLatency(Duration.ZERO).build();
    }

    private static void assertSameRun(Run capped, Run uncapped) {
        assertThat(capped.studentRequests()).isEqualTo(uncapped.studentRequests());
        assertThat(capped.teacherRequests()).isEqualTo(uncapped.teacherRequests());
        assertThat(capped.response().aiMessage()).isEqualTo(uncapped.response().aiMessage());
        assertThat(withoutLatency(capped.response())).isEqualTo(withoutLatency(uncapped.response()));
    }

    @ParameterizedTest
    @ValueSource(ints = {200, TEACHER_TOKENS})
    void should_leave_the_answer_and_every_request_unchanged_when_the_cap_is_never_reached(int cap) {
        // given
        Run uncapped = blocking(builder -> builder);

        // when
        Run capped = blocking(builder -> builder.maxTeacherTokens(cap));

        // then
        assertSameRun(capped, uncapped);
        assertThat(capped.teacherRequests()).extracting(CompletionRequest::maxTokens).containsExactly(6, 1, 50);
        RelayResponseMetadata relay = (RelayResponseMetadata) capped.response().metadata();
        assertThat(relay.teacherTokens()).isEqualTo(TEACHER_TOKENS);
        assertThat(relay.relayFinishReason()).isEqualTo(RelayFinishReason.STUDENT_DONE);
        assertThat(capped.response().aiMessage().text()).endsWith("#### 868");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, TEACHER_TOKENS})
    void should_leave_the_streamed_answer_and_every_request_unchanged_when_the_cap_is_never_reached(int cap) {
        // given
        Run uncapped = streaming(builder -> builder);

        // when
        Run capped = streaming(builder -> builder.maxTeacherTokens(cap));

        // then
        assertSameRun(capped, uncapped);
        assertThat(capped.teacherRequests()).extracting(CompletionRequest::maxTokens).containsExactly(6, 1, 50);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, TEACHER_TOKENS})
    void should_leave_every_request_unchanged_with_exact_call_tokens_and_sampling_settings(int cap) {
        // given
        Function<RelayChatLanguageModel.Builder, RelayChatLanguageModel.Builder> settings = builder -> builder
                .exactCallTokens(true).temperature(0.0).seed(7).maxRounds(16).maxTokens(512);
        Run uncapped = blocking(settings);

        // when
        Run capped = blocking(builder -> settings.apply(builder).maxTeacherTokens(cap));

        // then
        assertSameRun(capped, uncapped);
        assertThat(capped.teacherRequests()).allSatisfy(request -> {
            assertThat(request.exactLength()).isTrue();
            assertThat(request.temperature()).isEqualTo(0.0);
            assertThat(request.seed()).isEqualTo(7);
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {56, 20})
    void should_shorten_only_the_call_that_reaches_the_cap(int cap) {
        // given
        Run uncapped = blocking(builder -> builder);

        // when
        Run capped = blocking(builder -> builder.maxTeacherTokens(cap));

        // then
        assertThat(capped.studentRequests()).isEqualTo(uncapped.studentRequests());
        assertThat(capped.teacherRequests().subList(0, 2)).isEqualTo(uncapped.teacherRequests().subList(0, 2));
        assertThat(capped.teacherRequests().get(2))
                .isEqualTo(uncapped.teacherRequests().get(2).toBuilder().maxTokens(cap - 7).build());
    }
}
