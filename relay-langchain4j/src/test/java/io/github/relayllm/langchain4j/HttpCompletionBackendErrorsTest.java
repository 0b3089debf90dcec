package io.github.relayllm.langchain4j;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.ContextLengthExceededException;
import io.github.relayllm.langchain4j.ollama.OllamaCompletionBackend;
import io.github.relayllm.langchain4j.openai.OpenAiCompletionBackend;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Function;
import java.util.stream.Stream;

import static io.github.relayllm.langchain4j.HttpRecordedAnswers.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Each HTTP error status, in each server's error shape, becomes the LangChain4j exception users catch elsewhere. */
class HttpCompletionBackendErrorsTest {

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private static final Function<String, CompletionBackend> OLLAMA = url ->
            OllamaCompletionBackend.builder().baseUrl(url).modelName("relayllm-1.7b").maxRetries(0).build();
    private static final Function<String, CompletionBackend> OPENAI = url ->
            OpenAiCompletionBackend.builder().baseUrl(url + "/v1").modelName("Qwen/Qwen3-8B").apiKey("sk-x")
                    .maxRetries(0).build(); // one answer each: HttpRetriesTest covers retries

    static Stream<Arguments> errors() {
        return Stream.of(
                // Ollama: {"error":"…"}
                Arguments.of("ollama", OLLAMA, 400, "{\"error\":\"invalid options: num_predict\"}",
                        InvalidRequestException.class, "invalid options: num_predict"),
                Arguments.of("ollama", OLLAMA, 404, "{\"error\":\"model \\\"relayllm-9b\\\" not found, try pulling it first\"}",
                        ModelNotFoundException.class, "model \"relayllm-9b\" not found"),
                Arguments.of("ollama", OLLAMA, 500, "{\"error\":\"llama runner process has terminated: signal: killed\"}",
                        InternalServerException.class, "llama runner process has terminated"),
                // vLLM nested (0.10.1+)
                Arguments.of("vllm", OPENAI, 400, "{\"error\":{\"message\":\"max_tokens must be at least 1, got 0.\","
                                + "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}}",
                        InvalidRequestException.class, "max_tokens must be at least 1, got 0. (type BadRequestError, code 400)"),
                Arguments.of("vllm", OPENAI, 404, "{\"error\":{\"message\":\"The model `Qwen/Qwen3-9B` does not exist.\","
                                + "\"type\":\"NotFoundError\",\"param\":null,\"code\":404}}",
                        ModelNotFoundException.class, "The model `Qwen/Qwen3-9B` does not exist."),
                // vLLM flat
                Arguments.of("vllm", OPENAI, 400, "{\"object\":\"error\",\"message\":\"This model's maximum context "
                                + "length is 40960 tokens. However, you requested 41000 tokens.\",\"type\":\"BadRequestError\","
                                + "\"param\":null,\"code\":400}",
                        ContextLengthExceededException.class, "maximum context length is 40960 tokens"),
                // vLLM --api-key middleware
                Arguments.of("vllm", OPENAI, 401, "{\"error\":\"Unauthorized\"}",
                        AuthenticationException.class, "HTTP 401: Unauthorized"),
                Arguments.of("vllm", OPENAI, 422, "{\"detail\":[{\"type\":\"int_parsing\",\"loc\":[\"body\",\"max_tokens\"],"
                                + "\"msg\":\"Input should be a valid integer\"}]}",
                        InvalidRequestException.class, "Input should be a valid integer"),
                // llama-server nested, code first
                Arguments.of("llama-server", OPENAI, 400, "{\"error\":{\"code\":400,\"message\":\"the request exceeds "
                                + "the available context size, try increasing it\",\"type\":\"exceed_context_size_error\","
                                + "\"n_prompt_tokens\":600,\"n_ctx\":512}}",
                        ContextLengthExceededException.class, "exceeds the available context size"),
                // OpenAI
                Arguments.of("openai", OPENAI, 400, "{\"error\":{\"message\":\"This model's maximum context length is "
                                + "8192 tokens. However, your messages resulted in 9000 tokens.\",\"type\":"
                                + "\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}",
                        ContextLengthExceededException.class, "code context_length_exceeded"),
                Arguments.of("llama-server", OPENAI, 401, "{\"error\":{\"code\":401,\"message\":\"Invalid API Key\","
                                + "\"type\":\"authentication_error\"}}",
                        AuthenticationException.class, "Invalid API Key (type authentication_error, code 401)"),
                Arguments.of("llama-server", OPENAI, 500, "{\"error\":{\"code\":500,\"message\":\"[json.exception."
                                + "parse_error.101] parse error at line 1, column 10\",\"type\":\"server_error\"}}",
                        InternalServerException.class, "parse error at line 1"),
                Arguments.of("llama-server", OPENAI, 503, "{\"error\":{\"code\":503,\"message\":\"Loading model\","
                                + "\"type\":\"unavailable_error\"}}",
                        InternalServerException.class, "Loading model"),
                // proxies and gateways
                Arguments.of("proxy", OPENAI, 403, "<html><body>403 Forbidden</body></html>",
                        AuthenticationException.class, "'<html><body>403 Forbidden</body></html>'"),
                Arguments.of("proxy", OPENAI, 408, "", TimeoutException.class, "HTTP 408: (empty body)"),
                Arguments.of("proxy", OPENAI, 429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\","
                                + "\"code\":\"rate_limit_exceeded\"}}",
                        RateLimitException.class, "Rate limit reached"),
                Arguments.of("proxy", OLLAMA, 502, "<html><head><title>502 Bad Gateway</title></head></html>",
                        InternalServerException.class, "502 Bad Gateway"),
                Arguments.of("proxy", OLLAMA, 418, "I'm a teapot", HttpException.class, "HTTP 418: 'I'm a teapot'"));
    }

    @ParameterizedTest(name = "{0} {2} -> {4}")
    @MethodSource("errors")
    void should_map_the_status_to_the_langchain4j_exception(String server, Function<String, CompletionBackend> factory,
                                                             int status, String body,
                                                             Class<? extends LangChain4jException> expected,
                                                             String serverMessage) {
        // given
        this.server.enqueue(json(status, body));
        CompletionBackend backend = factory.apply(this.server.url("/").toString().replaceAll("/$", ""));
        CompletionRequest request = CompletionRequest.builder().prompt("2+2=").maxTokens(4).build();

        // when
        Throwable thrown = catchThrowable(() -> backend.complete(request));
        backend.close();

        // then
        assertThat(thrown).isExactlyInstanceOf(expected)
                .hasMessageContaining(backend.name() + " at http://")
                .hasMessageContaining("HTTP " + status)
                .hasMessageContaining(serverMessage);
        HttpException http = thrown instanceof HttpException direct ? direct : (HttpException) thrown.getCause();
        assertThat(http.statusCode()).isEqualTo(status);
    }
}
