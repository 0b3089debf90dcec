package io.github.relayllm.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.StreamingCompletionHandler;
import io.github.relayllm.langchain4j.backend.TokenLogprob;
import io.github.relayllm.langchain4j.ollama.OllamaCompletionBackend;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.github.relayllm.langchain4j.HttpRecordedAnswers.OLLAMA_END_OF_SEQUENCE;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.OLLAMA_LENGTH;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.OLLAMA_MODEL_NOT_FOUND;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.OLLAMA_STOPPED_ON_COMMAND;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.OLLAMA_STREAM_ERROR_MID_STREAM;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.OLLAMA_STREAM_STOPPED_ON_COMMAND;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.OLLAMA_STREAM_WITH_LOGPROBS;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.OLLAMA_WITH_LOGPROBS;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.json;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.ndjson;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.lines;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.paced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class OllamaCompletionBackendTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT = "<|im_start|>user\nWhat is 17 × 23?<|im_end|>\n<|im_start|>assistant\n";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private OllamaCompletionBackend backend;

    @AfterEach
    void close() {
        if (backend != null) {
            backend.close();
        }
    }

    private OllamaCompletionBackend backend() {
        return backend(Duration.ofSeconds(5));
    }

    private OllamaCompletionBackend backend(Duration timeout) {
        backend = OllamaCompletionBackend.builder()
                .baseUrl(server.url("/").toString())
                .modelName("relayllm-1.7b")
                .timeout(timeout)
                .build();
        return backend;
    }

    private static CompletionRequest studentRequest() {
        return CompletionRequest.builder().prompt(PROMPT).maxTokens(64).stopStrings("</call>").build();
    }

    @Test
    void should_re_append_the_stop_string_ollama_cut() throws Exception {
        // given
        server.enqueue(json(200, OLLAMA_STOPPED_ON_COMMAND));

        // when
        Completion completion = backend().complete(studentRequest());

        // then
        assertThat(completion.text()).isEqualTo("We multiply 17 by 23.\n<call>40</call>");
        assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.STOP);
        assertThat(completion.stopString()).isEqualTo("</call>");
        assertThat(completion.generatedTokens()).isEqualTo(16);
        assertThat(completion.promptTokens()).isEqualTo(57);
        assertThat(completion.cachedPromptTokens()).isNull();
        assertThat(completion.latency()).isPositive();
        RecordedRequest recorded = server.takeRequest();
        assertThat(recorded.getUrl().encodedPath()).isEqualTo("/api/generate");
        JsonNode body = JSON.readTree(recorded.getBody().utf8());
        assertThat(body.get("stream").asBoolean()).isFalse();
        assertThat(body.get("raw").asBoolean()).isTrue();
        assertThat(body.get("think").asBoolean()).isFalse();
    }

    @Test
    void should_report_end_of_sequence_when_the_text_ends_outside_a_command() {
        // given
        server.enqueue(json(200, OLLAMA_END_OF_SEQUENCE));

        // when
        Completion completion = backend().complete(studentRequest());

        // then
        assertThat(completion.text()).isEqualTo("17 × 23 = 391. The answer is 391.");
        assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.EOS);
        assertThat(completion.stopString()).isNull();
        assertThat(completion.generatedTokens()).isEqualTo(14);
    }

    @Test
    void should_report_length() {
        // given
        server.enqueue(json(200, OLLAMA_LENGTH));

        // when
        Completion completion = backend().complete(studentRequest());

        // then
        assertThat(completion.text()).isEqualTo("We multiply 17 by 23. First 17 × 20");
        assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.LENGTH);
        assertThat(completion.generatedTokens()).isEqualTo(12);
    }

    @Test
    void should_stream_ndjson_pieces_on_the_calling_thread_and_hand_over_the_cut_stop_string_last() throws Exception {
        // given
        server.enqueue(ndjson(OLLAMA_STREAM_STOPPED_ON_COMMAND));
        List<String> pieces = new ArrayList<>();
        Thread caller = Thread.currentThread();
        List<Thread> threads = new ArrayList<>();

        // when
        Completion completion = backend().completeStreaming(studentRequest(), piece -> {
            pieces.add(piece);
            threads.add(Thread.currentThread());
        });

        // then
        assertThat(pieces).containsExactly("We", " multiply", " 17 by 23.", "\n<call>", "40", "</call>");
        assertThat(String.join("", pieces)).isEqualTo(completion.text());
        assertThat(threads).containsOnly(caller);
        assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.STOP);
        assertThat(completion.stopString()).isEqualTo("</call>");
        assertThat(completion.generatedTokens()).isEqualTo(16);
        assertThat(completion.promptTokens()).isEqualTo(57);
        assertThat(JSON.readTree(server.takeRequest().getBody().utf8()).get("stream").asBoolean()).isTrue();
    }

    @Test
    void should_fail_on_an_error_line_mid_stream() {
        // given
        server.enqueue(ndjson(OLLAMA_STREAM_ERROR_MID_STREAM));
        List<String> pieces = new ArrayList<>();

        // when / then
        assertThatThrownBy(() -> backend().completeStreaming(studentRequest(), pieces::add))
                .isInstanceOf(InternalServerException.class)
                .hasMessageContaining("ollama(relayllm-1.7b) at http://")
                .hasMessageContaining("unexpected EOF");
        assertThat(pieces).containsExactly("We", " multiply");
    }

    @Test
    void should_throw_model_not_found_for_an_unknown_model() {
        // given
        server.enqueue(json(404, OLLAMA_MODEL_NOT_FOUND));

        // when / then
        assertThatThrownBy(() -> backend().complete(studentRequest()))
                .isInstanceOf(ModelNotFoundException.class)
                .hasMessageContaining("ollama(relayllm-1.7b) at " + server.url("/").toString().replaceAll("/$", ""))
                .hasMessageContaining("HTTP 404")
                .hasMessageContaining("model \"relayllm-9b\" not found, try pulling it first")
                .cause().isInstanceOf(dev.langchain4j.exception.HttpException.class);
    }

    @Test
    void should_parse_logprobs() throws Exception {
        // given
        server.enqueue(json(200, OLLAMA_WITH_LOGPROBS));
        CompletionRequest request = studentRequest().toBuilder().logprobs(2).build();

        // when
        Completion completion = backend().complete(request);

        // then
        assertThat(backend.supportsTokenProbabilities()).isTrue();
        assertThat(completion.logprobs()).containsExactly(
                new TokenLogprob("We", -0.0123, List.of(new TokenLogprob("We", -0.0123), new TokenLogprob("To", -4.61))),
                new TokenLogprob(" multiply", -0.35,
                        List.of(new TokenLogprob(" multiply", -0.35), new TokenLogprob(" compute", -1.4))));
        JsonNode body = JSON.readTree(server.takeRequest().getBody().utf8());
        assertThat(body.get("logprobs").asBoolean()).isTrue();
        assertThat(body.get("top_logprobs").asInt()).isEqualTo(2);
    }

    @Test
    void should_collect_logprobs_of_a_stream() {
        // given
        server.enqueue(ndjson(OLLAMA_STREAM_WITH_LOGPROBS));

        // when
        Completion completion = backend().completeStreaming(studentRequest().toBuilder().logprobs(0).build(), p -> {
        });

        // then
        assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.LENGTH);
        assertThat(completion.logprobs()).extracting(TokenLogprob::token).containsExactly("We", " multiply");
        assertThat(completion.logprobs().get(1).probability()).isCloseTo(Math.exp(-0.35), within(1e-9));
    }

    @Test
    void should_time_out_when_the_server_answers_later_than_the_timeout() {
        // given
        server.enqueue(json(200, OLLAMA_END_OF_SEQUENCE).newBuilder().headersDelay(3, TimeUnit.SECONDS).build());
        long start = System.nanoTime();

        // when / then
        assertThatThrownBy(() -> backend(Duration.ofMillis(300)).complete(studentRequest()))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("ollama(relayllm-1.7b)")
                .hasMessageContaining("timeout PT0.3S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void should_time_out_when_the_stream_stalls_after_its_first_piece() {
        // given: the first line comes at once, the rest 3 s later
        String[] lines = lines(OLLAMA_STREAM_STOPPED_ON_COMMAND);
        String rest = String.join("", java.util.Arrays.copyOfRange(lines, 1, lines.length));
        server.enqueue(paced("application/x-ndjson", 3000, lines[0], rest));
        List<String> pieces = new ArrayList<>();
        long start = System.nanoTime();

        // when / then
        assertThatThrownBy(() -> backend(Duration.ofSeconds(1)).completeStreaming(studentRequest(), pieces::add))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("did not answer within timeout PT1S");
        assertThat(pieces).containsExactly("We");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void should_stop_reading_and_throw_when_the_caller_cancels_mid_stream() {
        // given: one line every 400 ms, 2 s in all
        server.enqueue(paced("application/x-ndjson", 400, lines(OLLAMA_STREAM_STOPPED_ON_COMMAND)));
        List<String> pieces = new ArrayList<>();
        StreamingCompletionHandler cancelAfterFirstPiece = new StreamingCompletionHandler() {
            @Override
            public void onPartialText(String text) {
                pieces.add(text);
            }

            @Override
            public boolean isCancelled() {
                return !pieces.isEmpty();
            }
        };
        long start = System.nanoTime();

        // when / then
        assertThatThrownBy(() -> backend().completeStreaming(studentRequest(), cancelAfterFirstPiece))
                .isInstanceOf(CancellationException.class);
        assertThat(pieces).containsExactly("We");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1800));
    }

    @Test
    void should_give_up_waiting_for_the_headers_when_the_caller_cancels_and_keep_its_own_interrupt_flag_clear() {
        // given: a server still loading its model (no headers for 3 s); the caller cancels after 200 ms
        server.enqueue(ndjson(OLLAMA_STREAM_STOPPED_ON_COMMAND).newBuilder().headersDelay(3, TimeUnit.SECONDS).build());
        long start = System.nanoTime();
        StreamingCompletionHandler cancelAfter200Ms = new StreamingCompletionHandler() {
            @Override
            public void onPartialText(String text) {
            }

            @Override
            public boolean isCancelled() {
                return System.nanoTime() - start > TimeUnit.MILLISECONDS.toNanos(200);
            }
        };

        // when / then
        assertThatThrownBy(() -> backend().completeStreaming(studentRequest(), cancelAfter200Ms))
                .isInstanceOf(CancellationException.class)
                .hasMessageContaining("cancelled by the caller");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void should_keep_the_caller_s_own_interrupt_as_an_interrupt() throws Exception {
        // given: no headers for 3 s; another thread interrupts the caller (not a cancellation)
        server.enqueue(ndjson(OLLAMA_STREAM_STOPPED_ON_COMMAND).newBuilder().headersDelay(3, TimeUnit.SECONDS).build());
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> interruptedAfterwards = caller.submit(() -> {
                try {
                    backend().completeStreaming(studentRequest(), text -> { });
                    return false;
                } catch (CancellationException e) {
                    return Thread.currentThread().isInterrupted()
                            && e.getMessage().contains("interrupted while waiting for");
                }
            });
            Thread.sleep(200);
            caller.shutdownNow();

            // when / then
            assertThat(interruptedAfterwards.get(2, TimeUnit.SECONDS)).isTrue();
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void should_drop_a_cancelled_stream_s_connection_and_serve_the_next_call_on_a_new_one() throws Exception {
        // given
        server.enqueue(paced("application/x-ndjson", 200, lines(OLLAMA_STREAM_STOPPED_ON_COMMAND)));
        server.enqueue(json(200, OLLAMA_END_OF_SEQUENCE));
        List<String> pieces = new ArrayList<>();
        StreamingCompletionHandler cancelAfterFirstPiece = new StreamingCompletionHandler() {
            @Override
            public void onPartialText(String text) {
                pieces.add(text);
            }

            @Override
            public boolean isCancelled() {
                return !pieces.isEmpty();
            }
        };
        assertThatThrownBy(() -> backend().completeStreaming(studentRequest(), cancelAfterFirstPiece))
                .isInstanceOf(CancellationException.class);

        // when
        Completion next = backend.complete(studentRequest());

        // then
        assertThat(next.finishReason()).isEqualTo(Completion.FinishReason.EOS);
        RecordedRequest cancelled = server.takeRequest();
        RecordedRequest after = server.takeRequest();
        assertThat(after.getConnectionIndex()).isNotEqualTo(cancelled.getConnectionIndex());
        assertThat(after.getExchangeIndex()).isZero();
    }

    @Test
    void should_say_the_server_is_not_running_when_the_connection_is_refused() throws Exception {
        // given: a port nobody listens on
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        backend = OllamaCompletionBackend.builder()
                .baseUrl("http://127.0.0.1:" + closedPort).modelName("relayllm-1.7b").build();

        // when / then
        assertThatThrownBy(() -> backend.complete(studentRequest()))
                .isInstanceOf(UnresolvedModelServerException.class)
                .hasMessageContaining("cannot reach ollama at http://127.0.0.1:" + closedPort
                        + ": connection refused — is the server running?");
    }

    @Test
    void should_quote_a_garbage_answer() {
        // given: a proxy's error page instead of Ollama
        server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
                .body("<html><body><h1>It works!</h1></body></html>").build());

        // when / then
        assertThatThrownBy(() -> backend().complete(studentRequest()))
                .isInstanceOf(InternalServerException.class)
                .hasMessageContaining("ollama(relayllm-1.7b)")
                .hasMessageContaining("not the expected JSON")
                .hasMessageContaining("<html><body><h1>It works!</h1>");
    }

    @Test
    void should_send_every_builder_and_request_parameter() throws Exception {
        // given
        server.enqueue(json(200, OLLAMA_STOPPED_ON_COMMAND));
        server.enqueue(json(200, OLLAMA_END_OF_SEQUENCE));
        backend = OllamaCompletionBackend.builder()
                .baseUrl(server.url("/").toString())
                .modelName("relayllm-1.7b")
                .timeout(Duration.ofSeconds(7))
                .connectTimeout(Duration.ofSeconds(3))
                .keepAlive(Duration.ofMinutes(10))
                .numCtx(4096)
                .temperature(0.7)
                .topP(0.8)
                .seed(42)
                .customHeaders(Map.of("X-Proxy-Route", "gpu-1"))
                .logRequestsAndResponses(true)
                .build();
        CompletionRequest withValues = CompletionRequest.builder().prompt(PROMPT).maxTokens(33)
                .stopStrings("</call>", "<|im_end|>").temperature(0.0).topP(0.95).seed(7).logprobs(3).build();
        CompletionRequest withDefaults = CompletionRequest.builder().prompt(PROMPT).maxTokens(20).build();

        // when
        backend.complete(withValues);
        backend.completeStreaming(withDefaults, piece -> {
        });

        // then
        RecordedRequest first = server.takeRequest();
        assertThat(first.getMethod()).isEqualTo("POST");
        assertThat(first.getUrl().encodedPath()).isEqualTo("/api/generate");
        assertThat(first.getHeaders().get("X-Proxy-Route")).isEqualTo("gpu-1");
        assertThat(first.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(first.getBody().utf8())).isEqualTo(JSON.readTree("""
                {"model":"relayllm-1.7b","prompt":%s,"raw":true,"think":false,"stream":false,"keep_alive":"600000ms",
                 "options":{"num_predict":33,"stop":["</call>","<|im_end|>"],"temperature":0.0,"top_p":0.95,"seed":7,
                            "num_ctx":4096},
                 "logprobs":true,"top_logprobs":3}""".formatted(JSON.writeValueAsString(PROMPT))));
        JsonNode second = JSON.readTree(server.takeRequest().getBody().utf8());
        assertThat(second).isEqualTo(JSON.readTree("""
                {"model":"relayllm-1.7b","prompt":%s,"raw":true,"think":false,"stream":true,"keep_alive":"600000ms",
                 "options":{"num_predict":20,"temperature":0.7,"top_p":0.8,"seed":42,"num_ctx":4096}}"""
                .formatted(JSON.writeValueAsString(PROMPT))));
        assertThat(backend.timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(backend.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(backend.supportsExactLength()).isFalse();
        assertThat(backend.toString()).contains("X-Proxy-Route").doesNotContain("gpu-1");
    }

    @Test
    void should_name_the_setting_to_fix() {
        assertThatThrownBy(() -> OllamaCompletionBackend.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("modelName");
        assertThatThrownBy(() -> OllamaCompletionBackend.builder().modelName("m")
                .baseUrl("http://localhost:11434/v1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUrl ends with /v1");
        assertThatThrownBy(() -> OllamaCompletionBackend.builder().modelName("m").baseUrl("localhost:11434").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUrl");
        assertThatThrownBy(() -> OllamaCompletionBackend.builder().modelName("m").timeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive");
    }

    @Test
    void should_refuse_calls_after_close() {
        // given
        OllamaCompletionBackend closed = backend();
        closed.close();

        // when / then
        assertThatThrownBy(() -> closed.complete(studentRequest()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
