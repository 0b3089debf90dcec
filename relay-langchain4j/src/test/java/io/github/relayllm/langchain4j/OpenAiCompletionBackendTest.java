package io.github.relayllm.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.StreamingCompletionHandler;
import io.github.relayllm.langchain4j.backend.TokenLogprob;
import io.github.relayllm.langchain4j.openai.OpenAiCompletionBackend;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.github.relayllm.langchain4j.HttpRecordedAnswers.LLAMA_SERVER_END_OF_SEQUENCE;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.LLAMA_SERVER_STOPPED_ON_COMMAND;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.LLAMA_SERVER_STREAM_STOPPED_ON_COMMAND;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.VLLM_END_OF_SEQUENCE_TOKEN;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.VLLM_LENGTH_WITH_LOGPROBS;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.VLLM_STOPPED_ON_COMMAND;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.VLLM_STREAM_ERROR_MID_STREAM;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.VLLM_STREAM_STOPPED_ON_COMMAND;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.json;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.lines;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.paced;
import static io.github.relayllm.langchain4j.HttpRecordedAnswers.sse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class OpenAiCompletionBackendTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMPT = "<|im_start|>user\nWhat is 17 × 23?<|im_end|>\n<|im_start|>assistant\n";
    private static final String API_KEY = "sk-relay-test-7f3a9c2e5b1d4f6a8c0e2b4d6f8a0c2e";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private OpenAiCompletionBackend backend;

    @AfterEach
    void close() {
        if (backend != null) {
            backend.close();
        }
    }

    private OpenAiCompletionBackend backend() {
        return backend(Duration.ofSeconds(5));
    }

    private OpenAiCompletionBackend backend(Duration timeout) {
        backend = OpenAiCompletionBackend.builder()
                .baseUrl(server.url("/v1").toString())
                .modelName("Qwen/Qwen3-8B")
                .apiKey(API_KEY)
                .timeout(timeout)
                .build();
        return backend;
    }

    private static CompletionRequest studentRequest() {
        return CompletionRequest.builder().prompt(PROMPT).maxTokens(64).stopStrings("</call>").build();
    }

    @Test
    void should_trust_vllm_stop_reason_and_re_append_the_stop_string() throws Exception {
        // given
        server.enqueue(json(200, VLLM_STOPPED_ON_COMMAND));

        // when
        Completion completion = backend().complete(studentRequest());

        // then
        assertThat(completion.text()).isEqualTo("We multiply 17 by 23.\n<call>40</call>");
        assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.STOP);
        assertThat(completion.stopString()).isEqualTo("</call>");
        assertThat(completion.generatedTokens()).isEqualTo(16);
        assertThat(completion.promptTokens()).isEqualTo(64);
        assertThat(completion.cachedPromptTokens()).isEqualTo(48);
        RecordedRequest recorded = server.takeRequest();
        assertThat(recorded.getUrl().encodedPath()).isEqualTo("/v1/completions");
        JsonNode body = JSON.readTree(recorded.getBody().utf8());
        assertThat(body.get("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.get("stream").asBoolean()).isFalse();
        assertThat(body.has("stream_options")).isFalse();
        assertThat(body.has("include_stop_str_in_output")).isFalse();
    }

    @Test
    void should_report_end_of_sequence_when_vllm_stop_reason_is_a_token_id_even_if_the_text_looks_like_a_command() {
        // given
        server.enqueue(json(200, VLLM_END_OF_SEQUENCE_TOKEN));

        // when
        Completion completion = backend().complete(studentRequest());

        // then
        assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.EOS);
        assertThat(completion.text()).isEqualTo(" 17 × 23 = 391. The answer is <call>");
        assertThat(completion.cachedPromptTokens()).isNull();
    }

    @Test
    void should_report_length_and_parse_legacy_logprobs() throws Exception {
        // given
        server.enqueue(json(200, VLLM_LENGTH_WITH_LOGPROBS));

        // when
        Completion completion = backend().complete(studentRequest().toBuilder().maxTokens(2).logprobs(2).build());

        // then
        assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.LENGTH);
        assertThat(completion.logprobs()).containsExactly(
                new TokenLogprob(" 17", -0.0102, List.of(new TokenLogprob(" 17", -0.0102), new TokenLogprob(" 16", -4.7013))),
                new TokenLogprob(" ×", -0.5087, List.of(new TokenLogprob(" ×", -0.5087), new TokenLogprob(" *", -1.0161))));
        assertThat(completion.cachedPromptTokens()).isEqualTo(64);
        assertThat(JSON.readTree(server.takeRequest().getBody().utf8()).get("logprobs").asInt()).isEqualTo(2);
    }

    @Test
    void should_stream_vllm_sse_with_its_separate_usage_chunk() throws Exception {
        // given
        server.enqueue(sse(VLLM_STREAM_STOPPED_ON_COMMAND));
        List<String> pieces = new ArrayList<>();

        // when
        Completion completion = backend().completeStreaming(studentRequest(), pieces::add);

        // then
        assertThat(pieces).containsExactly("We", " multiply 17 by 23.", "\n<call>40", "</call>");
        assertThat(String.join("", pieces)).isEqualTo(completion.text());
        assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.STOP);
        assertThat(completion.generatedTokens()).isEqualTo(16);
        assertThat(completion.promptTokens()).isEqualTo(64);
        assertThat(completion.cachedPromptTokens()).isEqualTo(48);
        JsonNode body = JSON.readTree(server.takeRequest().getBody().utf8());
        assertThat(body.get("stream").asBoolean()).isTrue();
        assertThat(body.get("stream_options").get("include_usage").asBoolean()).isTrue();
    }

    @Test
    void should_tell_a_cut_stop_string_from_end_of_sequence_by_the_text_for_llama_server() {
        // given: llama-server sends no stop_reason and "stop" for both
        server.enqueue(json(200, LLAMA_SERVER_STOPPED_ON_COMMAND));
        server.enqueue(json(200, LLAMA_SERVER_END_OF_SEQUENCE));

        // when
        Completion command = backend().complete(studentRequest());
        Completion ended = backend.complete(studentRequest());

        // then
        assertThat(command.finishReason()).isEqualTo(Completion.FinishReason.STOP);
        assertThat(command.text()).endsWith("<call>40</call>");
        assertThat(command.generatedTokens()).isEqualTo(19);
        assertThat(command.cachedPromptTokens()).isZero();
        assertThat(ended.finishReason()).isEqualTo(Completion.FinishReason.EOS);
        assertThat(ended.text()).isEqualTo("17 × 23 = 391. The answer is 391.");
        assertThat(ended.cachedPromptTokens()).isEqualTo(57);
    }

    @Test
    void should_stream_llama_server_sse_skipping_held_back_empty_chunks_with_usage_on_the_last_choice() {
        // given
        server.enqueue(sse(LLAMA_SERVER_STREAM_STOPPED_ON_COMMAND));
        List<String> pieces = new ArrayList<>();

        // when
        Completion completion = backend().completeStreaming(studentRequest().toBuilder().logprobs(0).build(),
                pieces::add);

        // then
        assertThat(pieces).containsExactly("We", " need 17 × 23.", "\n<call>30", "</call>");
        assertThat(completion.text()).isEqualTo("We need 17 × 23.\n<call>30</call>");
        assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.STOP);
        assertThat(completion.generatedTokens()).isEqualTo(6);
        assertThat(completion.promptTokens()).isEqualTo(57);
        assertThat(completion.cachedPromptTokens()).isEqualTo(56);
        assertThat(completion.logprobs()).extracting(TokenLogprob::token, TokenLogprob::logprob).containsExactly(
                tuple("We", -0.0021), tuple(" need", -0.7), tuple(" 17 × 23.", -0.05), tuple("\n<call>30", -1.25));
        assertThat(completion.logprobs().get(0).topLogprobs()).containsExactly(new TokenLogprob("We", -0.0021));
    }

    @Test
    void should_fail_on_an_error_event_mid_stream() {
        // given
        server.enqueue(sse(VLLM_STREAM_ERROR_MID_STREAM));
        List<String> pieces = new ArrayList<>();

        // when / then
        assertThatThrownBy(() -> backend().completeStreaming(studentRequest(), pieces::add))
                .isInstanceOf(InternalServerException.class)
                .hasMessageContaining("openai(Qwen/Qwen3-8B) at " + server.url("/v1"))
                .hasMessageContaining("The engine died unexpectedly");
        assertThat(pieces).containsExactly("We");
    }

    @Test
    void should_fail_on_llama_server_error_event() {
        // given
        server.enqueue(sse("error: {\"code\":500,\"message\":\"failed to decode the batch\",\"type\":\"server_error\"}\n\n"));

        // when / then
        assertThatThrownBy(() -> backend().completeStreaming(studentRequest(), p -> {
        }))
                .isInstanceOf(InternalServerException.class)
                .hasMessageContaining("failed to decode the batch");
    }

    @Test
    void should_never_show_the_api_key() throws Exception {
        // given: a server that echoes the key, as OpenAI's 401 does
        server.enqueue(json(401, """
                {"error":{"message":"Incorrect API key provided: %s. You can find your API key at \
                https://platform.openai.com/account/api-keys.","type":"invalid_request_error","param":null,\
                "code":"invalid_api_key"}}""".formatted(API_KEY)));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        OpenAiCompletionBackend unreachable = OpenAiCompletionBackend.builder()
                .baseUrl("http://127.0.0.1:" + closedPort + "/v1").modelName("Qwen/Qwen3-8B").apiKey(API_KEY).build();

        // when
        Throwable unauthorized = catchThrowable(() -> backend().complete(studentRequest()));
        Throwable refused = catchThrowable(() -> unreachable.complete(studentRequest()));
        unreachable.close();

        // then
        assertThat(unauthorized).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("Incorrect API key provided: ***");
        assertThat(refused).isInstanceOf(UnresolvedModelServerException.class)
                .hasMessageContaining("cannot reach openai at http://127.0.0.1:" + closedPort + "/v1: connection refused");
        for (Throwable failure : List.of(unauthorized, refused)) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(API_KEY);
            }
        }
        assertThat(backend.toString()).doesNotContain(API_KEY).contains("apiKey=***");
        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
    }

    private static Throwable catchThrowable(Runnable call) {
        try {
            call.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @Test
    void should_time_out_when_the_server_answers_later_than_the_timeout() {
        // given
        server.enqueue(json(200, VLLM_STOPPED_ON_COMMAND).newBuilder().headersDelay(3, TimeUnit.SECONDS).build());

        // when / then
        assertThatThrownBy(() -> backend(Duration.ofMillis(300)).complete(studentRequest()))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("openai(Qwen/Qwen3-8B)")
                .hasMessageContaining("did not answer within timeout PT0.3S");
    }

    @Test
    void should_time_out_when_a_whole_answer_stalls_after_its_headers() {
        // given: the headers and the first 40 bytes of the JSON at once, the rest 3 s later
        String answer = VLLM_STOPPED_ON_COMMAND;
        server.enqueue(paced("application/json", 3000, answer.substring(0, 40), answer.substring(40)));
        long start = System.nanoTime();

        // when / then: the JDK's request timeout ends at the headers; the backend times the gap itself
        assertThatThrownBy(() -> backend(Duration.ofMillis(500)).complete(studentRequest()))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("did not answer within timeout PT0.5S");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void should_read_a_whole_answer_that_comes_slowly_in_pieces_each_within_the_timeout() {
        // given: the JSON in five pieces 200 ms apart, 800 ms in all, longer than the timeout but no gap is
        String answer = VLLM_STOPPED_ON_COMMAND;
        int fifth = answer.length() / 5;
        server.enqueue(paced("application/json", 200, answer.substring(0, fifth), answer.substring(fifth, 2 * fifth),
                answer.substring(2 * fifth, 3 * fifth), answer.substring(3 * fifth, 4 * fifth),
                answer.substring(4 * fifth)));

        // when
        Completion completion = backend(Duration.ofMillis(600)).complete(studentRequest());

        // then
        assertThat(completion.text()).isNotEmpty();
        assertThat(completion.finishReason()).isEqualTo(Completion.FinishReason.STOP);
    }

    @Test
    void should_time_out_when_the_stream_stalls_mid_way() {
        // given: two events at once, the rest 3 s later
        String[] lines = lines(VLLM_STREAM_STOPPED_ON_COMMAND);
        String first = lines[0] + lines[1];
        String rest = String.join("", Arrays.copyOfRange(lines, 2, lines.length));
        server.enqueue(paced("text/event-stream", 3000, first, rest));
        List<String> pieces = new ArrayList<>();
        long start = System.nanoTime();

        // when / then
        assertThatThrownBy(() -> backend(Duration.ofSeconds(1)).completeStreaming(studentRequest(), pieces::add))
                .isInstanceOf(TimeoutException.class);
        assertThat(pieces).containsExactly("We");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
    }

    @Test
    void should_stop_reading_and_throw_when_the_caller_cancels_mid_stream() {
        // given: one line every 100 ms
        server.enqueue(paced("text/event-stream", 100, lines(LLAMA_SERVER_STREAM_STOPPED_ON_COMMAND)));
        List<String> pieces = new ArrayList<>();
        StreamingCompletionHandler cancelAfterSecondPiece = new StreamingCompletionHandler() {
            @Override
            public void onPartialText(String text) {
                pieces.add(text);
            }

            @Override
            public boolean isCancelled() {
                return pieces.size() >= 2;
            }
        };

        // when / then
        assertThatThrownBy(() -> backend().completeStreaming(studentRequest(), cancelAfterSecondPiece))
                .isInstanceOf(CancellationException.class);
        assertThat(pieces).containsExactly("We", " need 17 × 23.");
    }

    @Test
    void should_reuse_one_pooled_keep_alive_connection_for_consecutive_calls() throws Exception {
        // given
        server.enqueue(sse(VLLM_STREAM_STOPPED_ON_COMMAND));
        server.enqueue(json(200, VLLM_STOPPED_ON_COMMAND));
        server.enqueue(sse(LLAMA_SERVER_STREAM_STOPPED_ON_COMMAND));
        backend();

        // when
        backend.completeStreaming(studentRequest(), p -> {
        });
        backend.complete(studentRequest());
        backend.completeStreaming(studentRequest(), p -> {
        });

        // then
        RecordedRequest first = server.takeRequest();
        RecordedRequest second = server.takeRequest();
        RecordedRequest third = server.takeRequest();
        assertThat(List.of(second.getConnectionIndex(), third.getConnectionIndex()))
                .containsOnly(first.getConnectionIndex());
        assertThat(List.of(first.getExchangeIndex(), second.getExchangeIndex(), third.getExchangeIndex()))
                .containsExactly(0, 1, 2);
    }

    @Test
    void should_serve_concurrent_callers_from_one_instance() throws Exception {
        // given
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                boolean stream = request.getBody().utf8().contains("\"stream\":true");
                return stream ? sse(VLLM_STREAM_STOPPED_ON_COMMAND) : json(200, VLLM_STOPPED_ON_COMMAND);
            }
        });
        backend();
        ExecutorService callers = Executors.newFixedThreadPool(8);
        List<Future<Completion>> results = new ArrayList<>();

        // when
        for (int i = 0; i < 40; i++) {
            boolean stream = i % 2 == 0;
            results.add(callers.submit(() -> stream
                    ? backend.completeStreaming(studentRequest(), p -> {
                    })
                    : backend.complete(studentRequest())));
        }

        // then
        for (Future<Completion> result : results) {
            assertThat(result.get(10, TimeUnit.SECONDS).text()).isEqualTo("We multiply 17 by 23.\n<call>40</call>");
        }
        callers.shutdown();
        assertThat(server.getRequestCount()).isEqualTo(40);
    }

    @Test
    void should_quote_a_garbage_answer() {
        // given
        server.enqueue(new MockResponse.Builder().code(200).body("Hello from nginx, not a model server").build());

        // when / then
        assertThatThrownBy(() -> backend().complete(studentRequest()))
                .isInstanceOf(InternalServerException.class)
                .hasMessageContaining("not the expected JSON")
                .hasMessageContaining("'Hello from nginx, not a model server'");
    }

    @Test
    void should_send_every_builder_and_request_parameter() throws Exception {
        // given
        server.enqueue(json(200, VLLM_STOPPED_ON_COMMAND));
        server.enqueue(sse(VLLM_STREAM_STOPPED_ON_COMMAND));
        backend = OpenAiCompletionBackend.builder()
                .baseUrl(server.url("/v1/").toString())
                .modelName("Qwen/Qwen3-8B")
                .apiKey(API_KEY)
                .timeout(Duration.ofSeconds(7))
                .connectTimeout(Duration.ofSeconds(3))
                .exactLength(OpenAiCompletionBackend.ExactLength.BOTH)
                .temperature(0.7)
                .topP(0.8)
                .seed(42)
                .customHeaders(Map.of("X-Route", "gpu-1", "OpenAI-Organization", "org-relay"))
                .logRequestsAndResponses(true)
                .build();
        CompletionRequest teacherCall = CompletionRequest.builder().prompt(PROMPT).maxTokens(40).exactLength(true)
                .stopStrings("</call>", "<|im_end|>").temperature(0.0).topP(0.95).seed(7).logprobs(3).build();
        CompletionRequest withDefaults = CompletionRequest.builder().prompt(PROMPT).maxTokens(20).build();

        // when
        backend.complete(teacherCall);
        backend.completeStreaming(withDefaults, piece -> {
        });

        // then
        RecordedRequest first = server.takeRequest();
        assertThat(first.getMethod()).isEqualTo("POST");
        assertThat(first.getUrl().encodedPath()).isEqualTo("/v1/completions");
        assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(first.getHeaders().get("X-Route")).isEqualTo("gpu-1");
        assertThat(first.getHeaders().get("OpenAI-Organization")).isEqualTo("org-relay");
        assertThat(first.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(first.getBody().utf8())).isEqualTo(JSON.readTree("""
                {"model":"Qwen/Qwen3-8B","prompt":%s,"max_tokens":40,"stream":false,
                 "stop":["</call>","<|im_end|>"],"temperature":0.0,"top_p":0.95,"seed":7,"logprobs":3,
                 "min_tokens":40,"ignore_eos":true}""".formatted(JSON.writeValueAsString(PROMPT))));
        assertThat(JSON.readTree(server.takeRequest().getBody().utf8())).isEqualTo(JSON.readTree("""
                {"model":"Qwen/Qwen3-8B","prompt":%s,"max_tokens":20,"stream":true,
                 "stream_options":{"include_usage":true},"temperature":0.7,"top_p":0.8,"seed":42}"""
                .formatted(JSON.writeValueAsString(PROMPT))));
        assertThat(backend.supportsExactLength()).isTrue();
        assertThat(backend.timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(backend.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(backend.toString()).contains("X-Route").doesNotContain("gpu-1").doesNotContain(API_KEY);
    }

    @Test
    void should_send_each_exact_length_field_only_as_configured() throws Exception {
        // given
        server.enqueue(json(200, VLLM_LENGTH_WITH_LOGPROBS));
        server.enqueue(json(200, VLLM_LENGTH_WITH_LOGPROBS));
        server.enqueue(json(200, VLLM_LENGTH_WITH_LOGPROBS));
        CompletionRequest exact = CompletionRequest.builder().prompt(PROMPT).maxTokens(2).exactLength(true).build();
        List<OpenAiCompletionBackend> backends = new ArrayList<>();
        for (OpenAiCompletionBackend.ExactLength mode : List.of(OpenAiCompletionBackend.ExactLength.NONE,
                OpenAiCompletionBackend.ExactLength.MIN_TOKENS, OpenAiCompletionBackend.ExactLength.IGNORE_EOS)) {
            backends.add(OpenAiCompletionBackend.builder().baseUrl(server.url("/v1").toString())
                    .modelName("m").exactLength(mode).build());
        }

        // when
        for (OpenAiCompletionBackend each : backends) {
            each.complete(exact);
            each.close();
        }

        // then
        JsonNode none = JSON.readTree(server.takeRequest().getBody().utf8());
        JsonNode minTokens = JSON.readTree(server.takeRequest().getBody().utf8());
        JsonNode ignoreEos = JSON.readTree(server.takeRequest().getBody().utf8());
        assertThat(backends.get(0).supportsExactLength()).isFalse();
        assertThat(none.has("min_tokens") || none.has("ignore_eos")).isFalse();
        assertThat(minTokens.get("min_tokens").asInt()).isEqualTo(2);
        assertThat(minTokens.has("ignore_eos")).isFalse();
        assertThat(ignoreEos.get("ignore_eos").asBoolean()).isTrue();
        assertThat(ignoreEos.has("min_tokens")).isFalse();
    }

    @Test
    void should_name_the_setting_to_fix() {
        assertThatThrownBy(() -> OpenAiCompletionBackend.builder().baseUrl("http://h:8000/v1").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("modelName");
        assertThatThrownBy(() -> OpenAiCompletionBackend.builder().modelName("m")
                .baseUrl("http://h:8000/v1/completions").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without /completions");
        assertThatThrownBy(() -> OpenAiCompletionBackend.builder().modelName("m").baseUrl("h:8000").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("baseUrl");
    }
}
