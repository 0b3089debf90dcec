package io.github.relayllm.langchain4j.ollama;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.StreamingCompletionHandler;
import io.github.relayllm.langchain4j.backend.TokenLogprob;
import io.github.relayllm.langchain4j.internal.Checks;
import io.github.relayllm.langchain4j.internal.http.HttpBodyLines;
import io.github.relayllm.langchain4j.internal.http.HttpCompletionClient;
import io.github.relayllm.langchain4j.internal.http.HttpErrors;
import io.github.relayllm.langchain4j.internal.http.HttpFinishReasons;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

import static io.github.relayllm.langchain4j.internal.Checks.ensureAtLeast;
import static io.github.relayllm.langchain4j.internal.Checks.ensureNotBlank;
import static io.github.relayllm.langchain4j.internal.Checks.getOrDefault;

/**
 * A model served by Ollama, continued through its native {@code /api/generate} with {@code raw:true} (no chat
 * template) and {@code think:false}. Immutable and thread-safe; build with {@link #builder()}.
 * <p>
 * What Ollama cannot say, and how this backend copes:
 * <ul>
 *     <li>it answers {@code done_reason:"stop"} both for end-of-sequence and for a stop string, and cuts the stop
 *     string from the text: which one happened is decided by the text (see {@link HttpFinishReasons}: a cut
 *     {@code </call>} is recognised because the text ends inside an unclosed {@code <call>}), and the stop string
 *     is re-appended;</li>
 *     <li>{@code num_predict} is an upper bound only, so {@link #supportsExactLength()} is false;</li>
 *     <li>token probabilities need Ollama 0.12.11 or later ({@code logprobs}, {@code top_logprobs}); older servers
 *     silently send none;</li>
 *     <li>{@code prompt_eval_count} is reported as {@link Completion#promptTokens()}; how many of them came from
 *     Ollama's cache is not reported ({@link Completion#cachedPromptTokens()} is null).</li>
 * </ul>
 */
public final class OllamaCompletionBackend implements CompletionBackend {

    static final String DEFAULT_BASE_URL = "http://localhost:11434";
    private final URI baseUrl;
    private final URI generateUrl;
    private final String modelName;
    private final Duration timeout;
    private final Duration connectTimeout;
    private final String keepAlive;
    private final Integer numCtx;
    private final Double temperature;
    private final Double topP;
    private final Integer seed;
    private final Map<String, String> customHeaders;
    private final boolean logRequestsAndResponses;
    private final int maxRetries;
    private final HttpCompletionClient http;

    private OllamaCompletionBackend(Builder builder) {
        this.baseUrl = parseBaseUrl(getOrDefault(builder.baseUrl, DEFAULT_BASE_URL));
        this.generateUrl = URI.create(baseUrl + "/api/generate");
        this.modelName = ensureNotBlank(builder.modelName, "modelName");
        this.timeout = Checks.positive(getOrDefault(builder.timeout, HttpCompletionClient.DEFAULT_TIMEOUT), "timeout");
        this.connectTimeout = Checks.positive(getOrDefault(builder.connectTimeout, HttpCompletionClient.DEFAULT_CONNECT_TIMEOUT), "connectTimeout");
        this.keepAlive = builder.keepAlive;
        this.numCtx = builder.numCtx == null ? null : ensureAtLeast(builder.numCtx, 1, "numCtx");
        this.temperature = builder.temperature;
        this.topP = builder.topP;
        this.seed = builder.seed;
        this.customHeaders = Map.copyOf(getOrDefault(builder.customHeaders, Map.of()));
        this.logRequestsAndResponses = Boolean.TRUE.equals(builder.logRequestsAndResponses);
        this.maxRetries = HttpCompletionClient.maxRetries(builder.maxRetries);
        this.http = new HttpCompletionClient("ollama", name(), baseUrl, timeout, connectTimeout, customHeaders, null,
                logRequestsAndResponses, maxRetries);
    }

    private static URI parseBaseUrl(String value) {
        String trimmed = value.strip().replaceAll("/+$", "");
        URI uri;
        try {
            uri = URI.create(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("baseUrl is not a URL: '" + value + "'", e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("baseUrl must be an http(s) URL such as " + DEFAULT_BASE_URL
                    + " (it is '" + value + "')");
        }
        if (trimmed.endsWith("/v1")) {
            throw new IllegalArgumentException("baseUrl ends with /v1, Ollama's OpenAI-compatible API; "
                    + "OllamaCompletionBackend talks to the native API: use the server's root, e.g. "
                    + DEFAULT_BASE_URL + " (it is '" + value + "')");
        }
        return uri;
    }

    @Override
    public Completion complete(CompletionRequest request) {
        long start = System.nanoTime();
        JsonNode answer = http.parse(http.post(generateUrl, body(request, false)));
        if (HttpErrors.serverMessage(answer) != null) {
            throw http.answeredError(answer);
        }
        requireText(answer);
        List<TokenLogprob> logprobs = new ArrayList<>();
        addLogprobs(answer, logprobs);
        return completion(answer.path("response").asText(""), answer, logprobs, request, start, null);
    }

    @Override
    public Completion completeStreaming(CompletionRequest request, StreamingCompletionHandler handler) {
        long start = System.nanoTime();
        BooleanSupplier cancelled = handler::isCancelled;
        HttpBodyLines lines = http.postStreaming(generateUrl, body(request, true), cancelled);
        StringBuilder text = new StringBuilder();
        List<TokenLogprob> logprobs = new ArrayList<>();
        try (lines) {
            String line;
            while ((line = lines.readLine(cancelled)) != null) {
                if (line.isBlank()) {
                    continue;
                }
                http.logResponse(line);
                JsonNode chunk = http.parse(line);
                if (HttpErrors.serverMessage(chunk) != null) {
                    throw http.answeredError(chunk);
                }
                requireText(chunk);
                String piece = chunk.path("response").asText("");
                addLogprobs(chunk, logprobs);
                if (!piece.isEmpty()) {
                    text.append(piece);
                    handler.onPartialText(piece);
                }
                if (chunk.path("done").asBoolean(false)) {
                    http.finish(lines);
                    return completion(text.toString(), chunk, logprobs, request, start, handler);
                }
                if (handler.isCancelled()) {
                    throw new CancellationException("cancelled by the caller");
                }
            }
        } catch (IOException e) {
            throw http.transportFailure(e);
        }
        throw new dev.langchain4j.exception.InternalServerException(http.backend()
                + ": the stream ended before its last line (done:true)");
    }

    /** Ollama sends {@code response} in every answer and streamed line (empty at the end); without it, no text. */
    private void requireText(JsonNode answer) {
        if (!answer.path("response").isTextual()) {
            throw new dev.langchain4j.exception.InternalServerException(http.backend()
                    + " answered without the text of a completion ('response'): "
                    + http.scrub(HttpErrors.snippet(answer.toString())));
        }
    }

    private Completion completion(String text, JsonNode last, List<TokenLogprob> logprobs, CompletionRequest request,
                                  long start, StreamingCompletionHandler handler) {
        Completion.Builder completion = Completion.builder()
                .generatedTokens(Math.max(0, last.path("eval_count").asInt(0)))
                .promptTokens(Math.max(0, last.path("prompt_eval_count").asInt(0)))
                .logprobs(logprobs);
        String doneReason = last.path("done_reason").asText("stop");
        String stop = "length".equals(doneReason) ? null : HttpFinishReasons.cutStopString(text, request.stopStrings());
        if ("length".equals(doneReason)) {
            completion.text(text).finishReason(Completion.FinishReason.LENGTH);
        } else if (stop != null) {
            String full = HttpFinishReasons.withStopString(text, stop);
            if (handler != null && full.length() > text.length()) {
                handler.onPartialText(full.substring(text.length()));
            }
            completion.text(full).finishReason(Completion.FinishReason.STOP).stopString(stop);
        } else {
            completion.text(text).finishReason(Completion.FinishReason.EOS);
        }
        return completion.latency(Duration.ofNanos(System.nanoTime() - start)).build();
    }

    private static void addLogprobs(JsonNode chunk, List<TokenLogprob> logprobs) {
        for (JsonNode entry : chunk.path("logprobs")) {
            JsonNode logprob = entry.get("logprob");
            if (logprob != null && logprob.isNumber()) {
                logprobs.add(new TokenLogprob(entry.path("token").asText(""), logprob.asDouble(),
                        HttpCompletionClient.topLogprobs(entry.path("top_logprobs"))));
            }
        }
    }

    /** Ollama's and llama-server's shape: {@code [{"token","logprob",…}, …]}, most likely first. */
    ObjectNode body(CompletionRequest request, boolean stream) {
        ObjectNode body = HttpCompletionClient.JSON.createObjectNode()
                .put("model", modelName)
                .put("prompt", request.prompt())
                .put("raw", true)
                .put("think", false)
                .put("stream", stream);
        if (keepAlive != null) {
            body.put("keep_alive", keepAlive);
        }
        ObjectNode options = body.putObject("options").put("num_predict", request.maxTokens());
        if (!request.stopStrings().isEmpty()) {
            ArrayNode stop = options.putArray("stop");
            request.stopStrings().forEach(stop::add);
        }
        Double requestTemperature = getOrDefault(request.temperature(), temperature);
        if (requestTemperature != null) {
            options.put("temperature", requestTemperature);
        }
        Double requestTopP = getOrDefault(request.topP(), topP);
        if (requestTopP != null) {
            options.put("top_p", requestTopP);
        }
        Integer requestSeed = getOrDefault(request.seed(), seed);
        if (requestSeed != null) {
            options.put("seed", requestSeed);
        }
        if (numCtx != null) {
            options.put("num_ctx", numCtx);
        }
        if (request.logprobs() != null) {
            body.put("logprobs", true);
            if (request.logprobs() > 0) {
                body.put("top_logprobs", request.logprobs());
            }
        }
        return body;
    }

    @Override
    public boolean supportsTokenProbabilities() {
        return true;
    }

    @Override
    public String name() {
        return "ollama(" + modelName + ")";
    }

    @Override
    public String modelName() {
        return modelName;
    }

    public String baseUrl() {
        return baseUrl.toString();
    }

    public Duration timeout() {
        return timeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Sent as {@code keep_alive}; null leaves Ollama's default (5 minutes). */
    public String keepAlive() {
        return keepAlive;
    }

    public Integer numCtx() {
        return numCtx;
    }

    public Double temperature() {
        return temperature;
    }

    public Double topP() {
        return topP;
    }

    public Integer seed() {
        return seed;
    }

    public int maxRetries() {
        return maxRetries;
    }

    /** Stops the pooled connections' threads; later calls fail with {@link IllegalStateException}. */
    @Override
    public void close() {
        http.close();
    }

    @Override
    public String toString() {
        return "OllamaCompletionBackend{baseUrl=" + HttpCompletionClient.displayUrl(baseUrl) + ", modelName="
                + modelName + ", timeout=" + timeout + ", connectTimeout=" + connectTimeout + ", keepAlive="
                + keepAlive + ", numCtx=" + numCtx + ", temperature=" + temperature + ", topP=" + topP + ", seed="
                + seed + ", customHeaders=" + customHeaders.keySet() + ", logRequestsAndResponses="
                + logRequestsAndResponses + ", maxRetries=" + maxRetries + '}';
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {

        private String baseUrl;
        private String modelName;
        private Duration timeout;
        private Duration connectTimeout;
        private String keepAlive;
        private Integer numCtx;
        private Double temperature;
        private Double topP;
        private Integer seed;
        private Map<String, String> customHeaders;
        private Boolean logRequestsAndResponses;
        private Integer maxRetries;

        private Builder() {
        }

        /** The server's root, without {@code /api} or {@code /v1}; default {@code http://localhost:11434}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** The model as Ollama knows it ({@code ollama list}); required. */
        public Builder modelName(String modelName) {
            this.modelName = modelName;
            return this;
        }

        /**
         * The longest wait for the server (default 60 s): for a whole answer with {@link #complete}, which Ollama
         * sends only when generation is done; for the first piece and then between two pieces with
         * {@link #completeStreaming}, so a server that stalls mid-stream times out too.
         */
        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        /** The longest wait for a TCP connection; default 10 s. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * How long Ollama keeps the model loaded after a call, in Ollama's syntax ({@code "10m"}, {@code "-1"} for
         * ever, {@code "0"} to unload at once); null leaves Ollama's default (5 minutes).
         */
        public Builder keepAlive(String keepAlive) {
            this.keepAlive = keepAlive;
            return this;
        }

        /** How long Ollama keeps the model loaded after a call; a negative duration keeps it for ever. */
        public Builder keepAlive(Duration keepAlive) {
            this.keepAlive = keepAlive == null ? null : keepAlive.isNegative() ? "-1" : keepAlive.toMillis() + "ms";
            return this;
        }

        /** The context window Ollama allocates ({@code num_ctx}); null leaves the model's default. */
        public Builder numCtx(Integer numCtx) {
            this.numCtx = numCtx;
            return this;
        }

        /** Used when a request sets no temperature; null leaves Ollama's default. */
        public Builder temperature(Double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** Used when a request sets no top-p; null leaves Ollama's default. */
        public Builder topP(Double topP) {
            this.topP = topP;
            return this;
        }

        /** Used when a request sets no seed; null leaves Ollama's default. */
        public Builder seed(Integer seed) {
            this.seed = seed;
            return this;
        }

        /** Extra headers sent with every request (e.g. for a proxy in front of Ollama); values are never logged. */
        public Builder customHeaders(Map<String, String> customHeaders) {
            this.customHeaders = customHeaders == null ? null : new LinkedHashMap<>(customHeaders);
            return this;
        }

        /** Logs each request body and answer at INFO (prompts included, header values never). */
        public Builder logRequestsAndResponses(Boolean logRequestsAndResponses) {
            this.logRequestsAndResponses = logRequestsAndResponses;
            return this;
        }

        /**
         * How many times a completion is tried again (default 2, as LangChain4j's own models; 0 never retries) when
         * it is safe: no connection was made (refused, or none within {@code connectTimeout}), the connection
         * closed before the first byte of the answer (a stale kept-alive one; retried at once the first time), or
         * the server answered 429, 502, 503 or 504. A {@code Retry-After} header (seconds or a date) sets the wait,
         * up to 30 s (a server that asks for longer is not retried); else the wait doubles from 0.5 s. Never
         * retried: other errors, a read timeout, and a stream once its first piece came (see {@code docs/guide.md}).
         */
        public Builder maxRetries(Integer maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        public OllamaCompletionBackend build() {
            return new OllamaCompletionBackend(this);
        }
    }
}
