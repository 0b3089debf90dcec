package io.github.relayllm.langchain4j;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.ContextLengthExceededException;
import io.github.relayllm.langchain4j.openai.OpenAiCompletionBackend.ExactLength;
import io.github.relayllm.langchain4j.openai.OpenAiCompletionBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.github.relayllm.langchain4j.TinyModelFiles.RELAY_STUDENT;
import static io.github.relayllm.langchain4j.TinyModelFiles.STUDENT;
import static io.github.relayllm.langchain4j.TinyModelFiles.TEACHER;
import static io.github.relayllm.langchain4j.TinyModelFiles.greedy;
import static io.github.relayllm.langchain4j.TinyModelFiles.prompt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link OpenAiCompletionBackend} against real llama-server processes (one per tiny model), and a relay whose student
 * and teacher are two of them. The models are retrained now and then, so nothing here expects a particular answer:
 * the tests check what the backend reports against what the server itself says ({@code /metrics}, {@code /tokenize})
 * and against the same model's other answers (greedy decoding is deterministic).
 * <p>
 * Runs with the Maven profile {@code llama-server} ({@code bash .ci/build-llama-server.sh && mvn -B verify
 * -Pllama-server}); see {@link LlamaServerProcess}.
 */
class OpenAiCompletionBackendLlamaServerIT {

    private static final String QUESTION = "Rosa has 147 cards. First she loses 40. Then she uses 67. How many now?";
    private static final String HELDOUT = "data/heldout.jsonl";
    private static final int HELDOUT_QUESTIONS = 8;
    private static final int ANSWER_TOKENS = 256;
    /** A relay's budget: a held-out prompt plus this fits the tiny models' context (the eval's budget too). */
    private static final int RELAY_TOKENS = 200;

    private static LlamaServerProcess studentServer;
    private static LlamaServerProcess relayStudentServer;
    private static LlamaServerProcess teacherServer;

    private static OpenAiCompletionBackend student;
    private static OpenAiCompletionBackend relayStudent;
    private static OpenAiCompletionBackend teacher;

    @BeforeAll
    static void startServers() throws Exception {
        studentServer = LlamaServerProcess.start(TinyModelFiles.file(STUDENT));
        relayStudentServer = LlamaServerProcess.start(TinyModelFiles.file(RELAY_STUDENT));
        teacherServer = LlamaServerProcess.start(TinyModelFiles.file(TEACHER));
        student = backend(studentServer, "tiny-student", ExactLength.NONE);
        relayStudent = backend(relayStudentServer, "tiny-relay-student", ExactLength.NONE);
        teacher = backend(teacherServer, "tiny-teacher", ExactLength.IGNORE_EOS);
    }

    @AfterAll
    static void stopServers() {
        for (AutoCloseable closeable : new AutoCloseable[] {student, relayStudent, teacher,
                studentServer, relayStudentServer, teacherServer}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception ignored) {
                // the others still close
            }
        }
    }

    private static OpenAiCompletionBackend backend(LlamaServerProcess server, String modelName,
                                                   ExactLength exactLength) {
        return OpenAiCompletionBackend.builder()
                .baseUrl(server.baseUrl())
                .modelName(modelName)
                .exactLength(exactLength)
                .build();
    }

    @Test
    void should_report_the_tokens_the_server_counted() throws Exception {
        // given
        String prompt = prompt(QUESTION);
        long predictedBefore = teacherServer.counter("tokens_predicted_total");

        // when
        Completion completion = teacher.complete(greedy(prompt, ANSWER_TOKENS));

        // then
        assertThat(completion.text()).isNotBlank();
        assertThat(completion.generatedTokens()).isPositive()
                .isEqualTo(teacherServer.counter("tokens_predicted_total") - predictedBefore);
        assertThat(completion.promptTokens()).isEqualTo(teacherServer.tokenize(prompt).size());
        assertThat(completion.cachedPromptTokens()).isNotNull();
        assertThat(completion.finishReason())
                .as("the teacher ends its answer within %s tokens: %s", ANSWER_TOKENS, completion.text())
                .isEqualTo(Completion.FinishReason.EOS);
        assertThat(completion.stopString()).isNull();
        assertThat(completion.latency()).isPositive();
    }

    @Test
    void should_stream_what_the_blocking_call_returns() throws Exception {
        // given
        CompletionRequest request = greedy(prompt(QUESTION), ANSWER_TOKENS);
        List<String> pieces = new ArrayList<>();
        Completion blocking = student.complete(request);
        long predictedBefore = studentServer.counter("tokens_predicted_total");

        // when
        Completion streamed = student.completeStreaming(request, pieces::add);

        // then
        assertThat(pieces).hasSizeGreaterThan(1).allSatisfy(piece -> assertThat(piece).isNotEmpty());
        assertThat(String.join("", pieces)).isEqualTo(streamed.text()).isEqualTo(blocking.text()).isNotBlank();
        assertThat(streamed.finishReason()).isEqualTo(blocking.finishReason());
        assertThat(streamed.generatedTokens()).isEqualTo(blocking.generatedTokens())
                .isEqualTo(studentServer.counter("tokens_predicted_total") - predictedBefore);
        assertThat(streamed.promptTokens()).isEqualTo(blocking.promptTokens());
        assertThat(streamed.cachedPromptTokens()).as("the same prompt again comes from the slot's cache")
                .isGreaterThan(0);
    }

    @Test
    void should_cut_the_text_at_a_stop_string_that_is_not_a_tag() {
        // given: a stop string taken from the model's own greedy answer (its second line starts with it)
        String prompt = prompt(QUESTION);
        Completion free = student.complete(greedy(prompt, ANSWER_TOKENS));
        int secondLine = free.text().indexOf('\n') + 1;
        assertThat(secondLine).as("the student's answers have several lines: %s", free.text()).isPositive();
        assertThat(free.text().length()).as("the student's answer: %s", free.text()).isGreaterThan(secondLine + 3);
        String stop = free.text().substring(secondLine, secondLine + 3);
        String expected = free.text().substring(0, free.text().indexOf(stop));
        CompletionRequest request = greedy(prompt, ANSWER_TOKENS).toBuilder().stopStrings("zzz", stop).build();
        List<String> pieces = new ArrayList<>();

        // when
        Completion blocking = student.complete(request);
        Completion streamed = student.completeStreaming(request, pieces::add);

        // then: llama-server cuts the stop string and says "stop" as for end-of-sequence; only a closing tag such as
        // </call> can be told apart by the text (HttpFinishReasons), so this one reads as end-of-sequence
        for (Completion completion : List.of(blocking, streamed)) {
            assertThat(completion.text()).isEqualTo(expected);
            assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.EOS);
            assertThat(completion.stopString()).isNull();
            assertThat(completion.generatedTokens()).isPositive().isLessThan(free.generatedTokens());
        }
        assertThat(String.join("", pieces)).isEqualTo(expected);
    }

    @Test
    void should_give_back_the_call_command_the_relay_student_stopped_on() throws Exception {
        // given
        String question = aQuestionTheRelayStudentCallsOn();
        CompletionRequest request = greedy(prompt(question), ANSWER_TOKENS).toBuilder().stopStrings("</call>").build();
        long predictedBefore = relayStudentServer.counter("tokens_predicted_total");

        // when
        Completion completion = relayStudent.complete(request);

        // then
        assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.STOP);
        assertThat(completion.stopString()).isEqualTo("</call>");
        assertThat(completion.text()).containsPattern("<call>\\s*\\d*\\s*</call>$");
        assertThat(completion.generatedTokens()).as("the count includes the stop string's token")
                .isEqualTo(relayStudentServer.counter("tokens_predicted_total") - predictedBefore);
    }

    @Test
    void should_stop_at_max_tokens() {
        // given
        CompletionRequest request = greedy(prompt(QUESTION), 5);

        // when
        Completion blocking = teacher.complete(request);
        Completion streamed = teacher.completeStreaming(request, piece -> { });

        // then
        for (Completion completion : List.of(blocking, streamed)) {
            assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.LENGTH);
            assertThat(completion.generatedTokens()).isEqualTo(5);
            assertThat(completion.text()).isNotEmpty().isEqualTo(blocking.text());
        }
    }

    @Test
    void should_generate_exactly_max_tokens_past_the_end_of_sequence_with_ignore_eos() throws Exception {
        // given: an answer the model ends by itself, and a budget longer than it
        CompletionRequest free = greedy(prompt(QUESTION), ANSWER_TOKENS);
        Completion natural = teacher.complete(free);
        assertThat(natural.finishReason()).as("the teacher ends its answer: %s", natural.text())
                .isEqualTo(Completion.FinishReason.EOS);
        int exactTokens = natural.generatedTokens() + 12;
        CompletionRequest exact = free.toBuilder().maxTokens(exactTokens).exactLength(true).build();

        for (ExactLength honoured : List.of(ExactLength.IGNORE_EOS, ExactLength.BOTH)) {
            try (OpenAiCompletionBackend backend = backend(teacherServer, "tiny-teacher", honoured)) {
                long predictedBefore = teacherServer.counter("tokens_predicted_total");

                // when
                Completion completion = backend.complete(exact);

                // then
                assertThat(backend.supportsExactLength()).isTrue();
                assertThat(completion.finishReason()).as(honoured.name()).isEqualTo(Completion.FinishReason.LENGTH);
                assertThat(completion.generatedTokens()).as(honoured.name()).isEqualTo(exactTokens)
                        .isEqualTo(teacherServer.counter("tokens_predicted_total") - predictedBefore);
                assertThat(completion.text()).as(honoured.name()).startsWith(natural.text());
            }
        }
    }

    @Test
    void should_end_at_the_end_of_sequence_where_min_tokens_is_all_it_sends() {
        // given: llama-server ignores min_tokens (vLLM's way), so MIN_TOKENS cannot force the length there
        CompletionRequest free = greedy(prompt(QUESTION), ANSWER_TOKENS);
        Completion natural = teacher.complete(free);
        CompletionRequest exact = free.toBuilder().maxTokens(natural.generatedTokens() + 12).exactLength(true).build();

        for (ExactLength ignored : List.of(ExactLength.MIN_TOKENS, ExactLength.NONE)) {
            try (OpenAiCompletionBackend backend = backend(teacherServer, "tiny-teacher", ignored)) {
                // when
                Completion completion = backend.complete(exact);

                // then
                assertThat(completion.finishReason()).as(ignored.name()).isEqualTo(Completion.FinishReason.EOS);
                assertThat(completion.text()).as(ignored.name()).isEqualTo(natural.text());
                assertThat(completion.generatedTokens()).as(ignored.name()).isEqualTo(natural.generatedTokens());
            }
        }
    }

    @Test
    void should_run_a_relay_that_hands_spans_to_the_teacher_server() throws Exception {
        // given
        RelayChatLanguageModel relay = RelayChatLanguageModel.builder()
                .student(relayStudent).teacher(teacher)
                .callPolicy(CallPolicy.command())
                .temperature(0.0).maxTokens(RELAY_TOKENS).maxCallTokens(64)
                .build();
        int answersWithTeacherSpans = 0;

        for (String question : heldoutQuestions()) {
            long studentBefore = relayStudentServer.counter("tokens_predicted_total");
            long teacherBefore = teacherServer.counter("tokens_predicted_total");

            // when
            ChatResponse response = relay.chat(ChatRequest.builder().messages(UserMessage.from(question)).build());

            // then
            RelayResponseMetadata metadata = (RelayResponseMetadata) response.metadata();
            String context = question + " -> " + metadata.segments();
            assertThat(response.aiMessage().text()).as(context).isNotBlank()
                    .doesNotContain("<call>").doesNotContain("</call>");
            assertThat(metadata.studentTokens()).as(context).isPositive()
                    .isEqualTo(relayStudentServer.counter("tokens_predicted_total") - studentBefore);
            assertThat(metadata.teacherTokens()).as(context)
                    .isEqualTo(teacherServer.counter("tokens_predicted_total") - teacherBefore);
            assertThat(metadata.failedRounds()).as(context).isZero();
            assertThat(response.tokenUsage().outputTokenCount()).as(context)
                    .isEqualTo(metadata.studentTokens() + metadata.teacherTokens());
            int teacherSegmentTokens = metadata.segments().stream()
                    .filter(segment -> segment.role() == RelayRole.TEACHER).mapToInt(RelaySegment::tokens).sum();
            assertThat(teacherSegmentTokens).as(context).isLessThanOrEqualTo(metadata.teacherTokens());
            if (metadata.teacherTokens() > 0) {
                answersWithTeacherSpans++;
                assertThat(metadata.rounds()).as(context).isPositive();
                assertThat(metadata.segments()).as(context).anySatisfy(segment -> {
                    assertThat(segment.role()).isEqualTo(RelayRole.TEACHER);
                    assertThat(segment.text()).isNotEmpty();
                });
                assertThat(metadata.callRatio()).as(context).isStrictlyBetween(0.0, 1.0);
            }
        }
        assertThat(answersWithTeacherSpans)
                .as("answers among %s held-out questions in which the teacher server wrote a span", HELDOUT_QUESTIONS)
                .isPositive();
    }

    @Test
    void should_run_a_training_free_relay_on_the_probabilities_the_student_server_reports() throws Exception {
        // given the plain student (never trained to call) and a confidence policy, as in docs/benchmarks.md
        RelayChatLanguageModel relay = RelayChatLanguageModel.builder()
                .student(student).teacher(teacher)
                .callPolicy(CallPolicy.confidence(0.9, 2))
                .temperature(0.0).maxTokens(RELAY_TOKENS)
                .build();
        int answersWithTeacherSpans = 0;

        for (String question : heldoutQuestions()) {
            long teacherBefore = teacherServer.counter("tokens_predicted_total");

            // when
            ChatResponse response = relay.chat(ChatRequest.builder().messages(UserMessage.from(question)).build());

            // then the teacher server wrote exactly the teacher tokens the relay reports, in spans of at most 2
            RelayResponseMetadata metadata = (RelayResponseMetadata) response.metadata();
            String context = question + " -> " + metadata.segments();
            assertThat(response.aiMessage().text()).as(context).isNotBlank();
            assertThat(metadata.failedRounds()).as(context).isZero();
            assertThat(metadata.teacherTokens()).as(context)
                    .isEqualTo(teacherServer.counter("tokens_predicted_total") - teacherBefore)
                    .isLessThanOrEqualTo(2 * metadata.rounds());
            if (metadata.teacherTokens() > 0) {
                answersWithTeacherSpans++;
            }
        }
        assertThat(answersWithTeacherSpans)
                .as("answers among %s held-out questions in which the student was unsure and the teacher wrote",
                        HELDOUT_QUESTIONS)
                .isPositive();
    }

    @Test
    void should_stream_the_relay_answer_the_blocking_relay_gives() throws Exception {
        // given
        String question = aQuestionTheRelayStudentCallsOn();
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from(question)).build();
        ChatResponse blocking = RelayChatLanguageModel.builder().student(relayStudent).teacher(teacher)
                .temperature(0.0).maxTokens(RELAY_TOKENS).build().chat(request);
        StringBuilder streamedText = new StringBuilder();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        // when
        RelayStreamingChatLanguageModel.builder().student(relayStudent).teacher(teacher)
                .temperature(0.0).maxTokens(RELAY_TOKENS).build()
                .chat(request, new StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(PartialResponse partial, PartialResponseContext context) {
                        streamedText.append(partial.text());
                    }

                    @Override
                    public void onCompleteResponse(ChatResponse response) {
                        done.complete(response);
                    }

                    @Override
                    public void onError(Throwable error) {
                        done.completeExceptionally(error);
                    }
                });
        ChatResponse streamed = done.get(120, TimeUnit.SECONDS);

        // then
        RelayResponseMetadata metadata = (RelayResponseMetadata) streamed.metadata();
        assertThat(((RelayResponseMetadata) blocking.metadata()).teacherTokens()).isPositive();
        assertThat(streamedText.toString()).isEqualTo(blocking.aiMessage().text()).doesNotContain("<call>");
        assertThat(streamed.aiMessage().text()).isEqualTo(blocking.aiMessage().text());
        assertThat(metadata.segments()).isEqualTo(((RelayResponseMetadata) blocking.metadata()).segments());
    }

    @Test
    void should_report_a_prompt_over_the_context_as_a_context_length_error() {
        // given: the servers' context is the tiny models' trained length, a few hundred tokens
        CompletionRequest request = greedy(prompt("1+1 ".repeat(500)), 8);

        // when / then
        assertThatThrownBy(() -> student.complete(request))
                .isInstanceOf(ContextLengthExceededException.class)
                .hasMessageStartingWith("openai(tiny-student) at " + studentServer.baseUrl() + " answered HTTP 400: ")
                .hasMessageContaining("exceed_context_size_error")
                .hasCauseInstanceOf(HttpException.class)
                .satisfies(error -> assertThat(((HttpException) error.getCause()).statusCode()).isEqualTo(400));
    }

    @Test
    void should_say_which_server_is_down() throws Exception {
        // given: a server that answered once, then stopped (its pooled connection is dead too)
        LlamaServerProcess server = LlamaServerProcess.start(TinyModelFiles.file(STUDENT));
        try (OpenAiCompletionBackend backend = backend(server, "tiny-student", ExactLength.NONE)) {
            assertThat(backend.complete(greedy(prompt(QUESTION), 4)).text()).isNotEmpty();
            server.close();

            // when / then
            assertThatThrownBy(() -> backend.complete(greedy(prompt(QUESTION), 4)))
                    .isInstanceOf(UnresolvedModelServerException.class)
                    .hasMessageContaining(server.baseUrl());
            assertThatThrownBy(() -> backend.completeStreaming(greedy(prompt(QUESTION), 4), piece -> { }))
                    .isInstanceOf(UnresolvedModelServerException.class)
                    .hasMessageContaining(server.baseUrl());
        } finally {
            server.close();
        }
    }

    @Test
    void should_let_the_student_finish_when_the_teacher_server_is_down() throws Exception {
        // given
        String question = aQuestionTheRelayStudentCallsOn();
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from(question)).build();
        String downUrl = "http://127.0.0.1:" + LlamaServerProcess.freePort() + "/v1";
        try (OpenAiCompletionBackend downTeacher = OpenAiCompletionBackend.builder()
                .baseUrl(downUrl).modelName("tiny-teacher").build()) {
            RelayChatLanguageModel.Builder relay = RelayChatLanguageModel.builder()
                    .student(relayStudent).teacher(downTeacher).temperature(0.0).maxTokens(RELAY_TOKENS);

            // when
            ChatResponse response = relay.teacherFailurePolicy(TeacherFailurePolicy.CONTINUE_WITH_STUDENT).build()
                    .chat(request);

            // then
            RelayResponseMetadata metadata = (RelayResponseMetadata) response.metadata();
            assertThat(response.aiMessage().text()).isNotBlank().doesNotContain("<call>");
            assertThat(metadata.failedRounds()).isEqualTo(1);
            assertThat(metadata.teacherTokens()).isZero();
            assertThat(metadata.segments()).allSatisfy(segment ->
                    assertThat(segment.role()).isEqualTo(RelayRole.STUDENT));

            // and when the policy is FAIL
            assertThatThrownBy(() -> relay.teacherFailurePolicy(TeacherFailurePolicy.FAIL).build().chat(request))
                    .isInstanceOf(RelayBackendException.class)
                    .satisfies(error -> assertThat(((RelayBackendException) error).role()).isEqualTo(RelayRole.TEACHER))
                    .cause().isInstanceOf(UnresolvedModelServerException.class).hasMessageContaining(downUrl);
        }
    }

    /** The first held-out question on which the relay student, greedy, writes a command. */
    private static String aQuestionTheRelayStudentCallsOn() throws IOException {
        List<String> tried = new ArrayList<>();
        for (String question : heldoutQuestions()) {
            Completion completion = relayStudent.complete(
                    greedy(prompt(question), ANSWER_TOKENS).toBuilder().stopStrings("</call>").build());
            if (completion.finishReason() == Completion.FinishReason.STOP) {
                return question;
            }
            tried.add(completion.text());
        }
        throw new AssertionError("the relay student (models/" + RELAY_STUDENT + ") wrote no <call>N</call> on the "
                + "first " + HELDOUT_QUESTIONS + " held-out questions; it wrote " + tried);
    }

    private static List<String> heldoutQuestions() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> questions = new ArrayList<>();
        for (String line : Files.readAllLines(TinyModelFiles.file(HELDOUT))) {
            if (!line.isBlank() && questions.size() < HELDOUT_QUESTIONS) {
                questions.add(json.readTree(line).get("question").asText());
            }
        }
        assertThat(questions).hasSize(HELDOUT_QUESTIONS);
        return questions;
    }
}
