package io.github.relayllm.langchain4j;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.relayllm.langchain4j.LoopbackModels.Fault;
import io.github.relayllm.langchain4j.LoopbackModels.Kind;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.ollama.OllamaCompletionBackend;
import io.github.relayllm.langchain4j.openai.OpenAiCompletionBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every way a teacher or a student server can fail, blocking and streaming, over loopback servers
 * ({@link FaultServer}): each case ends as the policy says, nothing hangs (every case is bounded), and no connection
 * or thread is left behind.
 * <ul>
 *     <li>teacher ({@link OpenAiCompletionBackend}) failing with {@code CONTINUE_WITH_STUDENT}: the answer comes
 *     back, the failed round in its metadata;</li>
 *     <li>teacher failing with {@code FAIL}, and every student fault ({@link OllamaCompletionBackend} and
 *     {@link OpenAiCompletionBackend}): a {@link RelayBackendException} whose message names the server, the status
 *     and the server's own message, and holds no stack trace or Java class name.</li>
 * </ul>
 * Retries are off here ({@code maxRetries(0)}), so each fault is seen as it is; {@link HttpRetriesTest} covers them.
 */
@Timeout(30)
class HttpFaultMatrixTest {

    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    private static final List<FaultServer> SERVERS = new ArrayList<>();
    private static ThreadCount baseline;

    /** Which backend fails, and the teacher failure policy. */
    enum Setup {
        TEACHER_CONTINUE_WITH_STUDENT, TEACHER_FAIL, OLLAMA_STUDENT, OPENAI_STUDENT;

        boolean teacherFails() {
            return this == TEACHER_CONTINUE_WITH_STUDENT || this == TEACHER_FAIL;
        }

        Kind studentKind() {
            return this == OPENAI_STUDENT ? Kind.OPENAI : Kind.OLLAMA;
        }

        Kind failingKind() {
            return teacherFails() ? Kind.OPENAI : studentKind();
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Setup setup : Setup.values()) {
            for (boolean streaming : new boolean[] {false, true}) {
                for (Fault fault : Fault.values()) {
                    cases.add(Arguments.of(setup, streaming ? "streaming" : "blocking", fault));
                }
            }
        }
        return cases.stream();
    }

    @BeforeAll
    static void count_threads_before() {
        baseline = ThreadCount.now();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void should_end_as_the_policy_says(Setup setup, String mode, Fault fault) {
        // given
        FaultServer good = server(setup.teacherFails() ? LoopbackModels.student(setup.studentKind())
                : LoopbackModels.teacher());
        FaultServer bad = server(fault == Fault.REFUSED ? null : fault.handler(setup.failingKind()));
        String badUrl = fault == Fault.REFUSED ? FaultServer.refusedUrl() : bad.url();
        CompletionBackend student = setup.teacherFails() ? backend(setup.studentKind(), good.url())
                : backend(setup.studentKind(), badUrl);
        CompletionBackend teacher = setup.teacherFails() ? backend(Kind.OPENAI, badUrl)
                : backend(Kind.OPENAI, good.url());
        TeacherFailurePolicy policy = setup == Setup.TEACHER_FAIL ? TeacherFailurePolicy.FAIL
                : TeacherFailurePolicy.CONTINUE_WITH_STUDENT;
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("What is 6 * 7?")).build();

        // when
        Object outcome;
        try (student; teacher) {
            outcome = "streaming".equals(mode) ? stream(student, teacher, policy, request)
                    : blocking(student, teacher, policy, request);
        }

        // then
        if (setup == Setup.TEACHER_CONTINUE_WITH_STUDENT) {
            assertThat(outcome).as("the answer, not an error").isInstanceOf(ChatResponse.class);
            ChatResponse response = (ChatResponse) outcome;
            RelayResponseMetadata metadata = (RelayResponseMetadata) response.metadata();
            assertThat(response.aiMessage().text()).startsWith(LoopbackModels.STUDENT_OPENING)
                    .endsWith(LoopbackModels.STUDENT_CLOSING).doesNotContain("<call>");
            assertThat(metadata.rounds()).isEqualTo(1);
            assertThat(metadata.failedRounds()).isEqualTo(1);
            assertThat(metadata.teacherTokens()).isZero();
            assertThat(metadata.relayFinishReason()).isEqualTo(RelayFinishReason.STUDENT_DONE);
        } else {
            assertThat(outcome).as("an error, not an answer").isInstanceOf(RelayBackendException.class);
            RelayBackendException error = (RelayBackendException) outcome;
            assertThat(error.role()).isEqualTo(setup.teacherFails() ? RelayRole.TEACHER : RelayRole.STUDENT);
            assertThat(error.getMessage())
                    .contains(badUrl)
                    .contains(fault.message(setup.failingKind()))
                    .doesNotContain("\tat ")
                    .doesNotContainPattern("\\b(java|javax|jdk|sun)\\.[a-z]+\\.[A-Za-z]");
            if (fault.status() != null) {
                assertThat(error.getMessage()).contains(fault.status());
            }
        }
        assertThat(bad.requests()).hasSize(fault == Fault.REFUSED ? 0 : 1); // retries are off: tried once
        Awaits.until("the client dropped every connection it gave up on",
                () -> bad.busyConnections() == 0 && good.busyConnections() == 0);
        Awaits.until("no thread runs relay code any more", ThreadCount::noneInRelayCode);
    }

    @AfterAll
    static void leave_no_connection_or_thread_behind() {
        // Java 17's HttpClient has no close(): its selector thread ends, closing its pooled connections, once the
        // closed backend's client is garbage; Java 21+ closes both in close()
        Awaits.until("every connection to the loopback servers is closed", () -> {
            System.gc();
            return SERVERS.stream().allMatch(server -> server.openConnections() == 0);
        });
        Awaits.until("the HTTP clients' threads are gone", () -> {
            System.gc();
            return ThreadCount.now().httpThreads() <= baseline.httpThreads();
        });
        SERVERS.forEach(FaultServer::close);
    }

    private static FaultServer server(FaultServer.Handler handler) {
        FaultServer server = new FaultServer(handler == null ? (request, exchange) -> {
            throw new IllegalStateException("unused");
        } : handler);
        synchronized (SERVERS) {
            SERVERS.add(server);
        }
        return server;
    }

    static CompletionBackend backend(Kind kind, String url) {
        return kind == Kind.OLLAMA
                ? OllamaCompletionBackend.builder().baseUrl(url).modelName("relay-student").timeout(TIMEOUT)
                .maxRetries(0).build()
                : OpenAiCompletionBackend.builder().baseUrl(url + "/v1").modelName("relay-model").timeout(TIMEOUT)
                .maxRetries(0).build();
    }

    private static Object blocking(CompletionBackend student, CompletionBackend teacher, TeacherFailurePolicy policy,
                                   ChatRequest request) {
        RelayChatLanguageModel model = RelayChatLanguageModel.builder().student(student).teacher(teacher)
                .teacherFailurePolicy(policy).build();
        ChatResponse[] response = new ChatResponse[1];
        Throwable error = catchThrowable(() -> response[0] = model.chat(request));
        return error != null ? error : response[0];
    }

    private static Object stream(CompletionBackend student, CompletionBackend teacher, TeacherFailurePolicy policy,
                                 ChatRequest request) {
        RelayStreamingChatLanguageModel model = RelayStreamingChatLanguageModel.builder().student(student)
                .teacher(teacher).teacherFailurePolicy(policy).build();
        RecordingStreamingHandler handler = new RecordingStreamingHandler();
        model.chat(request, handler);
        handler.await();
        synchronized (handler) {
            if (!handler.errors.isEmpty()) {
                assertThat(handler.completions).isEmpty();
                return handler.errors.get(0);
            }
            assertThat(handler.completions).hasSize(1);
            assertThat(handler.text()).isEqualTo(handler.completions.get(0).aiMessage().text());
            return handler.completions.get(0);
        }
    }
}
