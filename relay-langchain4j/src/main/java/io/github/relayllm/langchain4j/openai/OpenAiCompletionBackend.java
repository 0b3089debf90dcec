package io.github.relayllm.langchain4j.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.exception.InternalServerException;
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

import static io.github.relayllm.langchain4j.internal.Checks.ensureNotBlank;
import static io.github.relayllm.langchain4j.internal.Checks.ensureNotNull;
import static io.github.relayllm.langchain4j.internal.Checks.getOrDefault;

/**
 * A model behind an OpenAI-compatible legacy completions endpoint, {@code POST {baseUrl}/completions}: vLLM,
 * llama-server, SGLang, OpenAI itself. Immutable and thread-safe; build with {@link #builder()}.
 * <p>
 * What it sends and reads:
 * <ul>
 *     <li>{@code max_tokens} always (vLLM stops after 16 without it); {@code stop}, {@code temperature},
 *     {@code top_p}, {@code seed} when set; {@code logprobs} as at least 1 (llama-server sends nothing for 0);
 *     for streaming {@code stream_options.include_usage};</li>
 *     <li>{@code include_stop_str_in_output} is not sent: servers cut the stop string, and this backend re-appends
 *     it. vLLM says which stop string it matched ({@code stop_reason}; {@code null} or a token id means
 *     end-of-sequence). llama-server and OpenAI say {@code finish_reason:"stop"} for both; then the text decides
 *     (see {@link HttpFinishReasons}). A server that kept the stop string in its text does not get it twice;</li>
 *     <li>exact length ({@link CompletionRequest#exactLength()}) only as {@link #builder()}'s
 *     {@link Builder#exactLength(ExactLength)} says, since servers differ and strict ones reject unknown fields;</li>
 *     <li>usage from the answer or, when streaming, from whichever chunk carries it (vLLM: a last chunk with
 *     {@code choices:[]}; llama-server: the chunk with the finish reason);</li>
 *     <li>token probabilities in the legacy shape ({@code logprobs.tokens/token_logprobs}, vLLM, OpenAI) and in the
 *     chat shape llama-server answers ({@code logprobs.content[].logprob}).</li>
 * </ul>
 * The API key goes into the {@code Authorization: Bearer} header only: it is not in {@link #toString()}, logs or
 * exception messages (server error texts are scrubbed of it too).
 */
public final class OpenAiCompletionBackend implements CompletionBackend {

    /** How to make the server generate exactly max tokens when a request asks for it. */
    public enum ExactLength {
        /** The server cannot: {@link #supportsExactLength()} is false and max tokens stays an upper bound. */
        NONE,
        /** Send {@code min_tokens} = max tokens (vLLM; llama-server silently ignores it). */
        MIN_TOKENS,
        /** Send {@code ignore_eos:true} (llama-server; vLLM accepts it too). */
        IGNORE_EOS,
        /** Send both, for a server of either kind. */
        BOTH
    }

    static final String DEFAULT_BASE_URL = "http://localhost:8000/v1";

    private final URI baseUrl;
    private final URI completionsUrl;
    private final String modelName;
    private final String apiKey;
    private final Duration timeout;
    private final Duration connectTimeout;
    private final ExactLength exactLength;
    private final Double temperature;
    private final Double topP;
    private final Integer seed;
    private final Map<String, String> customHeaders;
    private final boolean logRequestsAndResponses;
    private final int maxRetries;
    private final HttpCompletionClient http;

    private OpenAiCompletionBackend(Builder builder) {
        this.baseUrl = parseBaseUrl(getOrDefault(builder.baseUrl, DEFAULT_BASE_URL));
        this.completionsUrl = URI.create(baseUrl + "/completions");
        this.modelName = ensureNotBlank(builder.modelName, "modelName");
        this.apiKey = builder.apiKey == null || builder.apiKey.isBlank() ? null : builder.apiKey.strip();
        this.timeout = Checks.positive(getOrDefault(builder.timeout, HttpCompletionClient.DEFAULT_TIMEOUT), "timeout");
        this.connectTimeout = Checks.positive(getOrDefault(builder.connectTimeout,
                HttpCompletionClient.DEFAULT_CONNECT_TIMEOUT), "connectTimeout");
        this.exactLength = ensureNotNull(getOrDefault(builder.exactLength, ExactLength.NONE), "exactLength");
        this.temperature = builder.temperature;
        this.topP = builder.topP;
        this.seed = builder.seed;
        this.customHeaders = Map.copyOf(getOrDefault(builder.customHeaders, Map.of()));
        this.logRequestsAndResponses = Boolean.TRUE.equals(builder.logRequestsAndResponses);
        this.maxRetries = HttpCompletionClient.maxRetries(builder.maxRetries);
        Map<String, String> headers = new LinkedHashMap<>(customHeaders);
        if (apiKey != null) {
            headers.put("Authorization", "Bearer " + apiKey);
        }
        this.http = new HttpCompletionClient("openai", name(), baseUrl, timeout, connectTimeout, headers, apiKey,
                logRequestsAndResponses, maxRetries);
    }

    private static URI parseBaseUrl(String value) {
        String trimmed = value.strip().replaceAll("/+$", "");
        if (trimmed.endsWith("/completions")) {
            throw new IllegalArgumentException("baseUrl must be the API root such as " + DEFAULT_BASE_URL
                    + ", without /completions (it is '" + value + "')");
        }
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
        return uri;
    }

    @Override
    public Completion complete(CompletionRequest request) {
        long start = System.nanoTime();
        JsonNode answer = http.parse(http.post(completionsUrl, body(request, false)));
        if (HttpErrors.serverMessage(answer) != null) {
            throw http.answeredError(answer);
        }
        JsonNode choice = answer.path("choices").path(0);
        if (!choice.isObject()) {
            throw new InternalServerException(http.backend() + " answered without choices: "
                    + http.scrub(HttpErrors.snippet(answer.toString())));
        }
        Answer result = new Answer();
        result.add(answer, null);
        return result.completion(request, start, null);
    }

    @Override
    public Completion completeStreaming(CompletionRequest request, StreamingCompletionHandler handler) {
        long start = System.nanoTime();
        BooleanSupplier cancelled = handler::isCancelled;
        HttpBodyLines lines = http.postStreaming(completionsUrl, body(request, true), cancelled);
        Answer result = new Answer();
        try (lines) {
            String line;
            while ((line = lines.readLine(cancelled)) != null) {
                if (line.isEmpty() || line.startsWith(":")) {
                    continue; // event separators and SSE comments
                }
                http.logResponse(line);
                String event;
                if (line.startsWith("data:")) {
                    event = line.substring(5).strip();
                } else if (line.startsWith("error:")) { // llama-server's error event
                    throw http.answeredError(http.parse(line.substring(6).strip()));
                } else if (line.startsWith("{")) {
                    event = line; // not SSE: a server that ignored stream:true, or an error object
                } else if (line.startsWith("event:") || line.startsWith("id:") || line.startsWith("retry:")) {
                    continue;
                } else {
                    throw http.notJson(line); // neither SSE nor JSON: an HTML error page, another server
                }
                if (event.isEmpty()) {
                    continue;
                }
                if (event.equals("[DONE]")) {
                    if (result.choices == 0) {
                        throw new InternalServerException(http.backend() + " streamed no choices before [DONE]");
                    }
                    http.finish(lines);
                    return result.completion(request, start, handler);
                }
                JsonNode chunk = http.parse(event);
                if (HttpErrors.serverMessage(chunk) != null) {
                    throw http.answeredError(chunk);
                }
                result.add(chunk, handler);
                if (handler.isCancelled()) {
                    throw new CancellationException("cancelled by the caller");
                }
            }
        } catch (IOException e) {
            throw http.transportFailure(e);
        }
        if (result.finishReason != null) {
            return result.completion(request, start, handler); // the stream ended without data: [DONE]
        }
        throw new InternalServerException(http.backend() + ": the stream ended before a finish_reason came");
    }

    /** What the answer or the chunks so far said. */
    private final class Answer {

        private final StringBuilder text = new StringBuilder();
        private final List<TokenLogprob> logprobs = new ArrayList<>();
        private int pieces;
        private int choices;
        private String finishReason;
        private boolean stopReasonSent;
        private JsonNode stopReason;
        private JsonNode usage;

        void add(JsonNode chunk, StreamingCompletionHandler handler) {
            JsonNode chunkUsage = chunk.get("usage");
            if (chunkUsage != null && chunkUsage.isObject()) {
                usage = chunkUsage;
            }
            JsonNode choice = chunk.path("choices").path(0);
            if (!choice.isObject()) {
                return; // vLLM's usage chunk: choices []
            }
            choices++;
            String piece = choice.path("text").asText("");
            if (!piece.isEmpty()) { // llama-server sends held-back text as empty chunks
                text.append(piece);
                pieces++;
                if (handler != null) {
                    handler.onPartialText(piece);
                }
            }
            addLogprobs(choice.path("logprobs"), logprobs);
            JsonNode reason = choice.get("finish_reason");
            if (reason != null && reason.isTextual()) {
                finishReason = reason.asText();
                stopReasonSent = choice.has("stop_reason");
                stopReason = choice.get("stop_reason");
            }
        }

        Completion completion(CompletionRequest request, long start, StreamingCompletionHandler handler) {
            String generated = text.toString();
            Completion.Builder completion = Completion.builder().logprobs(logprobs);
            String stop = "length".equals(finishReason) ? null : matchedStopString(generated, request);
            if ("length".equals(finishReason)) {
                completion.text(generated).finishReason(Completion.FinishReason.LENGTH);
            } else if (stop != null) {
                String full = HttpFinishReasons.withStopString(generated, stop);
                if (handler != null && full.length() > generated.length()) {
                    handler.onPartialText(full.substring(generated.length()));
                }
                completion.text(full).finishReason(Completion.FinishReason.STOP).stopString(stop);
            } else {
                completion.text(generated).finishReason(Completion.FinishReason.EOS);
            }
            if (usage != null) {
                completion.promptTokens(Math.max(0, usage.path("prompt_tokens").asInt(0)))
                        .generatedTokens(Math.max(0, usage.path("completion_tokens").asInt(0)));
                JsonNode cached = usage.path("prompt_tokens_details").get("cached_tokens");
                if (cached != null && cached.canConvertToInt()) {
                    completion.cachedPromptTokens(cached.asInt());
                }
            } else {
                // no usage (a server that ignores include_usage): estimate, so token budgets still advance
                int estimate = Math.max(logprobs.size(), Math.max(pieces, (generated.length() + 3) / 4));
                completion.generatedTokens(estimate);
            }
            return completion.latency(Duration.ofNanos(System.nanoTime() - start)).build();
        }

        private String matchedStopString(String generated, CompletionRequest request) {
            if (!stopReasonSent) {
                return HttpFinishReasons.cutStopString(generated, request.stopStrings());
            }
            // vLLM: the matched stop string, or null / a token id for end-of-sequence and stop tokens
            return stopReason != null && stopReason.isTextual() && !stopReason.asText().isEmpty()
                    ? stopReason.asText() : null;
        }
    }

    private static void addLogprobs(JsonNode logprobs, List<TokenLogprob> into) {
        JsonNode content = logprobs.get("content");
        if (content != null && content.isArray()) { // llama-server: the chat shape
            for (JsonNode entry : content) {
                JsonNode logprob = entry.get("logprob");
                if (logprob != null && logprob.isNumber()) {
                    into.add(new TokenLogprob(entry.path("token").asText(""), logprob.asDouble(),
                            HttpCompletionClient.topLogprobs(entry.path("top_logprobs"))));
                }
            }
            return;
        }
        JsonNode tokens = logprobs.path("tokens"); // the legacy shape: vLLM, OpenAI
        JsonNode values = logprobs.path("token_logprobs");
        JsonNode tops = logprobs.path("top_logprobs"); // per token {"text": logprob, …}
        for (int i = 0; i < tokens.size() && i < values.size(); i++) {
            if (values.get(i).isNumber()) {
                List<TokenLogprob> top = new ArrayList<>();
                tops.path(i).fields().forEachRemaining(alternative -> {
                    if (alternative.getValue().isNumber()) {
                        top.add(new TokenLogprob(alternative.getKey(), alternative.getValue().asDouble()));
                    }
                });
                top.sort((a, b) -> Double.compare(b.logprob(), a.logprob()));
                into.add(new TokenLogprob(tokens.get(i).asText(""), values.get(i).asDouble(), top));
            }
        }
    }

    ObjectNode body(CompletionRequest request, boolean stream) {
        ObjectNode body = HttpCompletionClient.JSON.createObjectNode()
                .put("model", modelName)
                .put("prompt", request.prompt())
                .put("max_tokens", request.maxTokens())
                .put("stream", stream);
        if (stream) {
            body.putObject("stream_options").put("include_usage", true);
        }
        if (!request.stopStrings().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            request.stopStrings().forEach(stop::add);
        }
        Double requestTemperature = getOrDefault(request.temperature(), temperature);
        if (requestTemperature != null) {
            body.put("temperature", requestTemperature);
        }
        Double requestTopP = getOrDefault(request.topP(), topP);
        if (requestTopP != null) {
            body.put("top_p", requestTopP);
        }
        Integer requestSeed = getOrDefault(request.seed(), seed);
        if (requestSeed != null) {
            body.put("seed", requestSeed);
        }
        if (request.logprobs() != null) {
            body.put("logprobs", Math.max(1, request.logprobs()));
        }
        if (request.exactLength()) {
            if (exactLength == ExactLength.MIN_TOKENS || exactLength == ExactLength.BOTH) {
                body.put("min_tokens", request.maxTokens());
            }
            if (exactLength == ExactLength.IGNORE_EOS || exactLength == ExactLength.BOTH) {
                body.put("ignore_eos", true);
            }
        }
        return body;
    }

    @Override
    public boolean supportsExactLength() {
        return exactLength != ExactLength.NONE;
    }

    @Override
    public boolean supportsTokenProbabilities() {
        return true;
    }

    @Override
    public String name() {
        return "openai(" + modelName + ")";
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

    public ExactLength exactLength() {
        return exactLength;
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
        return "OpenAiCompletionBackend{baseUrl=" + HttpCompletionClient.displayUrl(baseUrl) + ", modelName="
                + modelName + ", apiKey=" + (apiKey == null ? "none" : "***") + ", timeout=" + timeout
                + ", connectTimeout=" + connectTimeout + ", exactLength=" + exactLength + ", temperature="
                + temperature + ", topP=" + topP + ", seed=" + seed + ", customHeaders=" + customHeaders.keySet()
                + ", logRequestsAndResponses=" + logRequestsAndResponses + ", maxRetries=" + maxRetries + '}';
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {

        private String baseUrl;
        private String modelName;
        private String apiKey;
        private Duration timeout;
        private Duration connectTimeout;
        private ExactLength exactLength;
        private Double temperature;
        private Double topP;
        private Integer seed;
        private Map<String, String> customHeaders;
        private Boolean logRequestsAndResponses;
        private Integer maxRetries;

        private Builder() {
        }

        /**
         * The API root to which {@code /completions} is appended, as given: {@code http://host:8000/v1} for vLLM
         * and llama-server (default {@code http://localhost:8000/v1}). No {@code /v1} is added, since some servers
         * serve the API under another prefix; a 404 from a URL without {@code /v1} says so in its message.
         */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** The model as the server knows it (vLLM: {@code --served-model-name}); required, llama-server ignores it. */
        public Builder modelName(String modelName) {
            this.modelName = modelName;
            return this;
        }

        /** Sent as {@code Authorization: Bearer …}; null or blank sends no such header. Never logged or shown. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /**
         * The longest wait for the server (default 60 s): for a whole answer with {@link #complete}; for the first
         * piece and then between two pieces with {@link #completeStreaming}, so a stalled stream times out too.
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
         * How this server generates exactly max tokens: {@link ExactLength#MIN_TOKENS} for vLLM,
         * {@link ExactLength#IGNORE_EOS} for llama-server, {@link ExactLength#BOTH} for either; default
         * {@link ExactLength#NONE} (max tokens is an upper bound, {@link #supportsExactLength()} is false).
         */
        public Builder exactLength(ExactLength exactLength) {
            this.exactLength = exactLength;
            return this;
        }

        /** Used when a request sets no temperature; null leaves the server's default. */
        public Builder temperature(Double temperature) {
            this.temperature = temperature;
            return this;
        }

        /** Used when a request sets no top-p; null leaves the server's default. */
        public Builder topP(Double topP) {
            this.topP = topP;
            return this;
        }

        /** Used when a request sets no seed; null leaves the server's default. */
        public Builder seed(Integer seed) {
            this.seed = seed;
            return this;
        }

        /** Extra headers sent with every request (e.g. an organisation or routing header); values are never logged. */
        public Builder customHeaders(Map<String, String> customHeaders) {
            this.customHeaders = customHeaders == null ? null : new LinkedHashMap<>(customHeaders);
            return this;
        }

        /** Logs each request body and answer at INFO (prompts included; headers and the API key never). */
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

        public OpenAiCompletionBackend build() {
            return new OpenAiCompletionBackend(this);
        }
    }
}
