package io.github.relayllm.langchain4j;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.relayllm.langchain4j.LoopbackModels.Kind;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.internal.http.HttpRetries;
import io.github.relayllm.langchain4j.ollama.OllamaCompletionBackend;
import io.github.relayllm.langchain4j.openai.OpenAiCompletionBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@code maxRetries} of the HTTP backends: what is retried (no connection, 429, 502, 503, 504), what is not (other
 * errors, anything after an answer began), and how long it waits ({@code Retry-After}, capped; else backoff).
 */
@Timeout(30)
class HttpRetriesTest {

    private static final String OVERLOADED = "{\"error\":{\"code\":503,\"message\":\"Loading model\",\"type\":"
            + "\"unavailable_error\"}}";
    private static final CompletionRequest REQUEST = CompletionRequest.builder().prompt("Q: 6 * 7 =\n").maxTokens(8)
            .build();

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void should_default_to_two_retries_as_langchain4j_models_do() {
        // given
        OllamaCompletionBackend ollama = OllamaCompletionBackend.builder().modelName("m").build();
        OpenAiCompletionBackend openAi = OpenAiCompletionBackend.builder().modelName("m").build();
        resources.add(ollama);
        resources.add(openAi);

        // then
        assertThat(ollama.maxRetries()).isEqualTo(2);
        assertThat(openAi.maxRetries()).isEqualTo(2);
        assertThat(ollama.toString()).contains("maxRetries=2");
    }

    @Test
    void should_reject_a_negative_max_retries_by_name() {
        // when
        Throwable error = catchThrowable(() -> OllamaCompletionBackend.builder().modelName("m").maxRetries(-1)
                .build());

        // then
        assertThat(error).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRetries");
    }

    @Test
    void should_read_retry_after_in_seconds_and_as_an_http_date() {
        // given
        Instant now = Instant.parse("2026-12-03T10:00:00Z");

        // then
        assertThat(HttpRetries.parseRetryAfter("7", now)).isEqualTo(Duration.ofSeconds(7));
        assertThat(HttpRetries.parseRetryAfter(" 0 ", now)).isEqualTo(Duration.ZERO);
        assertThat(HttpRetries.parseRetryAfter("Thu, 03 Dec 2026 10:00:05 GMT", now)).isEqualTo(Duration.ofSeconds(5));
        assertThat(HttpRetries.parseRetryAfter("Thu, 03 Dec 2026 09:59:00 GMT", now)).isEqualTo(Duration.ZERO);
        assertThat(HttpRetries.parseRetryAfter("99999999999999999999999", now)).isGreaterThan(Duration.ofDays(1));
        assertThat(HttpRetries.parseRetryAfter("soon", now)).isNull();
        assertThat(HttpRetries.parseRetryAfter("-3", now)).isNull();
        assertThat(HttpRetries.parseRetryAfter(null, now)).isNull();
    }

    @Test
    void should_retry_only_statuses_that_say_not_now() {
        // given
        HttpRetries retries = new HttpRetries(2);

        // then
        for (int status : new int[] {429, 502, 503, 504}) {
            assertThat(retries.afterStatus(status, null, 0)).as("HTTP %d", status).isNotNull();
        }
        for (int status : new int[] {400, 401, 403, 404, 408, 413, 422, 500, 501}) {
            assertThat(retries.afterStatus(status, "1", 0)).as("HTTP %d", status).isNull();
        }
        assertThat(retries.afterStatus(503, null, 2)).as("after the last retry").isNull();
        assertThat(retries.afterStatus(429, "31", 0)).as("longer than the cap").isNull();
        assertThat(retries.afterStatus(429, "30", 0)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void should_back_off_from_half_a_second_doubling_up_to_eight() {
        // then
        assertThat(HttpRetries.backoff(0)).isBetween(Duration.ofMillis(400), Duration.ofMillis(500));
        assertThat(HttpRetries.backoff(1)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1000));
        assertThat(HttpRetries.backoff(9)).isBetween(Duration.ofMillis(6400), Duration.ofMillis(8000));
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void should_honour_retry_after_then_answer(Kind kind) {
        // given
        FaultServer server = server(kind, failures(1, (request, exchange) -> exchange.respond(429, "application/json",
                "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"rate_limit_error\"}}", "Retry-After: 1")));
        CompletionBackend backend = backend(kind, server.url(), 2);

        // when
        long start = System.nanoTime();
        Completion completion = backend.complete(REQUEST);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // then
        assertThat(completion.text()).startsWith(LoopbackModels.STUDENT_OPENING);
        assertThat(server.requests()).hasSize(2);
        assertThat(took).as("waited as Retry-After said").isGreaterThanOrEqualTo(Duration.ofMillis(950));
    }

    @Test
    void should_honour_retry_after_as_an_http_date() {
        // given: a date three seconds after the answer, to the second
        FaultServer server = server(Kind.OPENAI, failures(1, (request, exchange) -> exchange.respond(503,
                "application/json", OVERLOADED, "Retry-After: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        Instant.now().plusSeconds(3).atOffset(ZoneOffset.UTC)))));
        CompletionBackend backend = backend(Kind.OPENAI, server.url(), 1);

        // when
        long start = System.nanoTime();
        backend.complete(REQUEST);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // then: the date has one-second resolution, so the wait is between 2 and 3 s
        assertThat(server.requests()).hasSize(2);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @ParameterizedTest
    @ValueSource(ints = {502, 503, 504})
    void should_retry_an_unavailable_server_up_to_max_retries(int status) {
        // given
        FaultServer server = server(Kind.OPENAI, failures(2, (request, exchange) -> exchange.respond(status,
                "application/json", OVERLOADED)));
        CompletionBackend backend = backend(Kind.OPENAI, server.url(), 2);

        // when
        Completion completion = backend.complete(REQUEST);

        // then
        assertThat(completion.text()).startsWith(LoopbackModels.STUDENT_OPENING);
        assertThat(server.requests()).hasSize(3);
    }

    @Test
    void should_say_how_often_it_tried_when_the_retries_run_out() {
        // given
        FaultServer server = server(Kind.OPENAI, failures(9, (request, exchange) -> exchange.respond(503,
                "application/json", OVERLOADED)));
        CompletionBackend backend = backend(Kind.OPENAI, server.url(), 1);

        // when
        Throwable error = catchThrowable(() -> backend.complete(REQUEST));

        // then
        assertThat(error).isInstanceOf(InternalServerException.class)
                .hasMessageContaining(server.url())
                .hasMessageContaining("HTTP 503: Loading model")
                .hasMessageContaining("(tried 2 times)");
        assertThat(server.requests()).hasSize(2);
    }

    @Test
    void should_not_wait_for_a_retry_after_beyond_the_cap() {
        // given
        FaultServer server = server(Kind.OPENAI, failures(9, (request, exchange) -> exchange.respond(429,
                "application/json", "{\"error\":{\"message\":\"Quota exceeded\"}}", "Retry-After: 3600")));
        CompletionBackend backend = backend(Kind.OPENAI, server.url(), 2);

        // when
        Throwable error = catchThrowable(() -> backend.complete(REQUEST));

        // then
        assertThat(error).isInstanceOf(RateLimitException.class)
                .hasMessageContaining("Quota exceeded")
                .hasMessageContaining("the server asked to retry after 3600 s");
        assertThat(server.requests()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 404, 500})
    void should_not_retry_what_would_fail_again(int status) {
        // given
        FaultServer server = server(Kind.OLLAMA, failures(9, (request, exchange) -> exchange.respond(status,
                "application/json", "{\"error\":\"no\"}")));
        CompletionBackend backend = backend(Kind.OLLAMA, server.url(), 2);

        // when
        Throwable error = catchThrowable(() -> backend.complete(REQUEST));

        // then
        assertThat(error).isInstanceOf(LangChain4jException.class).hasMessageContaining("HTTP " + status);
        if (status == 401) {
            assertThat(error).isInstanceOf(AuthenticationException.class);
        }
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void should_retry_a_refused_connection() {
        // given
        CompletionBackend backend = backend(Kind.OLLAMA, FaultServer.refusedUrl(), 1);

        // when
        Throwable error = catchThrowable(() -> backend.complete(REQUEST));

        // then
        assertThat(error).isInstanceOf(UnresolvedModelServerException.class)
                .hasMessageContaining("connection refused")
                .hasMessageContaining("(tried 2 times)");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void should_retry_at_once_a_connection_closed_before_the_answer_as_a_stale_kept_alive_one_is(Kind kind) {
        // given: the first request's connection is closed (FIN) before any byte of the answer, as a server that
        // dropped an idle pooled connection just as the request went out on it
        FaultServer server = server(kind, failures(1, (request, exchange) -> exchange.closeOutput()));
        CompletionBackend backend = backend(kind, server.url(), 1);
        long start = System.nanoTime();

        // when
        Completion completion = backend.complete(REQUEST);

        // then: tried again on a new connection, without the backoff
        assertThat(server.requests()).hasSize(2);
        assertThat(completion.text()).startsWith(LoopbackModels.STUDENT_OPENING);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HttpRetries.FIRST_BACKOFF);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void should_retry_a_stream_whose_connection_was_reset_before_its_first_byte(Kind kind) {
        // given
        FaultServer server = server(kind, failures(1, (request, exchange) -> exchange.reset()));
        CompletionBackend backend = backend(kind, server.url(), 1);
        StringBuilder pieces = new StringBuilder();

        // when
        Completion completion = backend.completeStreaming(REQUEST, pieces::append);

        // then
        assertThat(server.requests()).hasSize(2);
        assertThat(pieces.toString()).isEqualTo(completion.text()).startsWith(LoopbackModels.STUDENT_OPENING);
    }

    @Test
    void should_not_retry_a_whole_answer_cut_short_after_its_headers() {
        // given: headers promising more body than comes, then the connection closes
        FaultServer server = server(Kind.OPENAI, failures(1, (request, exchange) -> exchange.truncated(200,
                "application/json", "{\"id\":\"cmpl-1\",\"choices\":[{\"te")));
        CompletionBackend backend = backend(Kind.OPENAI, server.url(), 2);

        // when
        Throwable error = catchThrowable(() -> backend.complete(REQUEST));

        // then
        assertThat(error).isInstanceOf(LangChain4jException.class)
                .hasMessageContaining("closed before the answer was complete");
        assertThat(server.requests()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void should_retry_a_stream_before_its_first_piece_and_deliver_each_piece_once(Kind kind) {
        // given
        FaultServer server = server(kind, failures(1, (request, exchange) -> exchange.respond(503,
                "application/json", OVERLOADED)));
        CompletionBackend backend = backend(kind, server.url(), 1);
        StringBuilder pieces = new StringBuilder();

        // when
        Completion completion = backend.completeStreaming(REQUEST, pieces::append);

        // then
        assertThat(server.requests()).hasSize(2);
        assertThat(pieces.toString()).isEqualTo(completion.text()).startsWith(LoopbackModels.STUDENT_OPENING);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void should_not_retry_a_stream_that_broke_after_its_first_piece(Kind kind) {
        // given
        FaultServer server = server(kind, LoopbackModels.Fault.RESET_MID_STREAM.handler(kind));
        CompletionBackend backend = backend(kind, server.url(), 2);
        StringBuilder pieces = new StringBuilder();

        // when
        Throwable error = catchThrowable(() -> backend.completeStreaming(REQUEST, pieces::append));

        // then
        assertThat(error).isInstanceOf(LangChain4jException.class);
        assertThat(pieces.toString()).isEqualTo(LoopbackModels.PARTIAL);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void should_keep_the_teacher_for_the_answer_when_a_retry_succeeds() {
        // given
        FaultServer student = server(Kind.OLLAMA, LoopbackModels.student(Kind.OLLAMA));
        AtomicInteger calls = new AtomicInteger();
        FaultServer teacher = server(Kind.OPENAI, (request, exchange) -> calls.incrementAndGet() == 1
                ? exchange.respond(503, "application/json", OVERLOADED, "Retry-After: 0")
                : LoopbackModels.teacher().handle(request, exchange));
        RelayChatLanguageModel model = RelayChatLanguageModel.builder()
                .student(backend(Kind.OLLAMA, student.url(), 0))
                .teacher(backend(Kind.OPENAI, teacher.url(), 2))
                .build();

        // when
        ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from("6 * 7?")).build());

        // then
        RelayResponseMetadata metadata = (RelayResponseMetadata) response.metadata();
        assertThat(response.aiMessage().text()).isEqualTo(LoopbackModels.STUDENT_OPENING + LoopbackModels.TEACHER_TEXT
                + LoopbackModels.STUDENT_CLOSING);
        assertThat(metadata.failedRounds()).isZero();
        assertThat(teacher.requests()).hasSize(2);
    }

    /** Fails the first {@code count} requests with {@code failure}, then answers as a working student. */
    private static FaultServer.Handler failures(int count, FaultServer.Handler failure) {
        AtomicInteger seen = new AtomicInteger();
        return (request, exchange) -> seen.incrementAndGet() <= count ? failure.handle(request, exchange)
                : LoopbackModels.student(request.path().startsWith("/api/") ? Kind.OLLAMA : Kind.OPENAI)
                .handle(request, exchange);
    }

    private FaultServer server(Kind kind, FaultServer.Handler handler) {
        FaultServer server = new FaultServer(handler);
        resources.add(server);
        return server;
    }

    private CompletionBackend backend(Kind kind, String url, int maxRetries) {
        CompletionBackend backend = kind == Kind.OLLAMA
                ? OllamaCompletionBackend.builder().baseUrl(url).modelName("m").timeout(Duration.ofSeconds(5))
                .maxRetries(maxRetries).build()
                : OpenAiCompletionBackend.builder().baseUrl(url + "/v1").modelName("m").timeout(Duration.ofSeconds(5))
                .maxRetries(maxRetries).build();
        resources.add(0, backend);
        return backend;
    }
}
