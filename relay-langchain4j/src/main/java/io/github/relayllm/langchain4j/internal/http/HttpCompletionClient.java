package io.github.relayllm.langchain4j.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.TimeoutException;
import dev.langchain4j.exception.UnresolvedModelServerException;
import io.github.relayllm.langchain4j.backend.TokenLogprob;
import io.github.relayllm.langchain4j.internal.Checks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The HTTP plumbing shared by {@link io.github.relayllm.langchain4j.ollama.OllamaCompletionBackend} and {@link io.github.relayllm.langchain4j.openai.OpenAiCompletionBackend}: one pooled
 * {@link HttpClient} per backend, JSON in, lines out, and every failure turned into a LangChain4j exception whose
 * message names the backend and never a secret. Thread-safe.
 * <p>
 * Why {@code java.net.http} and not LangChain4j's {@code HttpClient} abstraction
 * ({@code dev.langchain4j.http.client}): that abstraction lives in a separate artifact with a pluggable
 * implementation found on the classpath (JDK or Spring), its streaming reports server-sent events through a
 * listener on another thread and has no NDJSON parser (Ollama streams NDJSON), and it gives no way to stop reading
 * a stream that stalls after its headers. The relay needs the opposite: pieces on the calling thread, an idle
 * timeout between pieces, cancellation that drops the connection at once, and no extra dependency. The JDK client
 * keeps HTTP/1.1 connections alive and pools them, which is what per-round latency needs.
 * <p>
 * Measured (issue 13, item 3; {@code HttpClientAbstractionBenchmark}, docs/benchmarks.md): the same relay request
 * over minimal backends on {@code langchain4j-http-client-jdk} 1.14.1 costs 1.5 to 2 times the overhead per round
 * of this client against the same loopback servers (p50 0.53-0.65 ms against 0.29-0.43 ms on a loaded 2-core
 * machine): its {@code JdkHttpClient} runs on the JDK's default executor (a thread hand-off per step) and reads
 * streams through a blocking {@code InputStream}. So the backends keep this client. What users configure on
 * LangChain4j's client (proxy, TLS, logging) is the part this one lacks; if it is needed, the way in is a
 * {@code java.net.http.HttpClient.Builder} hook on the backends' builders, not a second HTTP layer.
 */
public final class HttpCompletionClient implements AutoCloseable {

    /** The default read timeout of the HTTP backends. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** The default connect timeout of the HTTP backends. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The default number of retries of the HTTP backends (as LangChain4j's own models). */
    public static final int DEFAULT_MAX_RETRIES = 2;

    public static final ObjectMapper JSON = new ObjectMapper();

    private static final Logger LOG = LoggerFactory.getLogger(HttpCompletionClient.class);
    private static final int MAX_ERROR_BODY_CHARS = 64 * 1024;
    private static final long SLICE_MILLIS = 50;
    private static final long DRAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final BooleanSupplier NOT_CANCELLED = () -> false;

    private final String serverKind;
    private final String backend;
    private final String baseUrl;
    private final Duration timeout;
    private final Duration connectTimeout;
    private final Map<String, String> headers;
    private final List<String> secrets;
    private final boolean logRequestsAndResponses;
    private final HttpRetries retries;
    private final HttpClient client;
    private volatile boolean closed;

    /**
     * @param serverKind the kind of server for "cannot reach …" messages, e.g. {@code ollama}
     * @param backendName {@link io.github.relayllm.langchain4j.backend.CompletionBackend#name()}
     * @param baseUrl     shown in messages (without user info)
     * @param headers     sent with every request (an authorization header included); values are never logged
     * @param secret      an API key to scrub from anything a server sends back; may be null
     * @param maxRetries  how many times a request is tried again when {@link HttpRetries} says it is safe
     */
    public HttpCompletionClient(String serverKind, String backendName, URI baseUrl, Duration timeout,
                                Duration connectTimeout, Map<String, String> headers, String secret,
                                boolean logRequestsAndResponses, int maxRetries) {
        this.serverKind = serverKind;
        this.baseUrl = displayUrl(baseUrl);
        this.backend = backendName + " at " + this.baseUrl;
        this.timeout = timeout;
        this.connectTimeout = connectTimeout;
        this.headers = Map.copyOf(headers);
        this.secrets = secrets(secret, this.headers);
        this.logRequestsAndResponses = logRequestsAndResponses;
        this.retries = new HttpRetries(maxRetries);
        // The client's executor runs its internal steps and delivers the answer. A pool (the JDK's default, or
        // ours) adds a thread hand-off per step: sending, each piece of the body, each request(1) HttpBodyLines
        // makes. Running the steps on the thread that triggers them (the selector thread when bytes arrive, the
        // caller when it sends or asks for more) removes them. It is safe here because nothing the client calls
        // blocks: HttpBodyLines only queues what arrives, and callers read on their own threads. Measured with
        // RelayOverheadBenchmark and JdkHttpClientExecutorBenchmark (docs/benchmarks.md, "Where the time went").
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(Runnable::run)
                .build();
    }

    /** {@code maxRetries} as a backend's builder got it: null is the default, negative is refused. */
    public static int maxRetries(Integer maxRetries) {
        return Checks.ensureAtLeast(Checks.getOrDefault(maxRetries, DEFAULT_MAX_RETRIES), 0, "maxRetries");
    }

    /** The base URL without user info, as messages show it. */
    public static String displayUrl(URI url) {
        if (url.getUserInfo() == null) {
            return url.toString();
        }
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    /** "ollama(model) at http://…", for messages. */
    public String backend() {
        return backend;
    }

    /**
     * Posts {@code body} and returns the whole 2xx answer; an error status is thrown as the matching LangChain4j
     * exception. The answer must start within the timeout, and no gap in it may be longer.
     * <p>
     * The answer is collected on the network thread ({@link HttpWholeBody}) and handed over complete: one thread
     * hand-off per call. {@link HttpWaitWatch} bounds the wait for the first byte and each gap after it. Why
     * {@code send} and not {@code sendAsync}: see {@link HttpWaitWatch}.
     */
    public String post(URI uri, JsonNode body) {
        HttpRequest request = request(uri, body);
        long timeoutNanos = timeout.toNanos();
        for (int attempt = 0; ; attempt++) {
            HttpWholeBody whole = new HttpWholeBody(MAX_ERROR_BODY_CHARS);
            HttpWaitWatch.Waiter watch = HttpWaitWatch.watch(NOT_CANCELLED,
                    () -> whole.lastActivityNanos() + timeoutNanos);
            HttpResponse<String> response;
            try {
                response = client.send(request, whole);
            } catch (InterruptedException e) {
                throw interrupted(watch.close());
            } catch (IOException e) {
                watch.close();
                if (whole.answered()) { // cut short inside the body
                    throw transportFailure(e);
                }
                pauseOrThrow(e, attempt, NOT_CANCELLED);
                continue;
            }
            watch.close(); // the answer came: a deadline that passed meanwhile does not matter
            if (response.statusCode() / 100 != 2) {
                pauseOrThrow(uri, response, response.body(), attempt, NOT_CANCELLED);
                continue;
            }
            logResponse(response.body());
            return response.body();
        }
    }

    /** What an interrupted {@code send} becomes: a timeout, a cancellation, or the caller's own interrupt. */
    private RuntimeException interrupted(HttpWaitWatch.Reason reason) {
        return switch (reason) {
            case TIMED_OUT -> readTimeout(null);
            case CANCELLED -> new CancellationException("cancelled by the caller");
            case NONE -> {
                Thread.currentThread().interrupt();
                yield new CancellationException("interrupted while waiting for " + backend);
            }
        };
    }

    /** Waits before the next attempt after a transport failure, or throws it when it is not to be retried. */
    private void pauseOrThrow(Throwable failure, int attempt, BooleanSupplier cancelled) {
        Duration wait = retries.afterTransportFailure(failure, attempt);
        LangChain4jException error = transportFailure(failure, HttpRetries.attempts(attempt));
        if (wait == null) {
            throw error;
        }
        pause(wait, attempt, error, cancelled);
    }

    /** Waits before the next attempt after an error status, or throws it when it is not to be retried. */
    private void pauseOrThrow(URI uri, HttpResponse<?> response, String errorBody, int attempt,
                              BooleanSupplier cancelled) {
        int status = response.statusCode();
        String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
        Duration wait = retries.afterStatus(status, retryAfter, attempt);
        LangChain4jException error = errorStatus(uri, status, errorBody, retries.note(status, retryAfter, attempt));
        if (wait == null) {
            throw error;
        }
        pause(wait, attempt, error, cancelled);
    }

    private void pause(Duration wait, int attempt, LangChain4jException error, BooleanSupplier cancelled) {
        if (wait.isZero()) { // a kept-alive connection the server had closed: routine, retried on a new one
            LOG.debug("{}; retry {} of {} at once", error.getMessage(), attempt + 1, retries.maxRetries());
        } else {
            LOG.warn("{}; retry {} of {} in {} ms", error.getMessage(), attempt + 1, retries.maxRetries(),
                    wait.toMillis());
        }
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            for (long left = wait.toNanos(); left > 0; left = deadline - System.nanoTime()) {
                if (cancelled.getAsBoolean()) {
                    throw new CancellationException("cancelled by the caller");
                }
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(SLICE_MILLIS)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting to retry " + backend);
        }
    }

    /**
     * Posts {@code body} and returns the 2xx answer's body, open, to read line by line as it streams; an error status
     * is read and thrown as the matching LangChain4j exception. While it waits for the headers (a server may still
     * be loading its model), {@link HttpWaitWatch} polls {@code cancelled} and bounds the wait by the timeout.
     *
     * @param cancelled polled while waiting; when it turns true the request is dropped and
     *                  {@link CancellationException} thrown
     */
    public HttpBodyLines postStreaming(URI uri, JsonNode body, BooleanSupplier cancelled) {
        HttpRequest request = request(uri, body);
        for (int attempt = 0; ; attempt++) {
            long deadline = System.nanoTime() + timeout.toNanos();
            HttpWaitWatch.Waiter watch = HttpWaitWatch.watch(cancelled, () -> deadline);
            HttpResponse<Flow.Publisher<List<ByteBuffer>>> response;
            try {
                response = client.send(request, HttpResponse.BodyHandlers.ofPublisher());
            } catch (InterruptedException e) {
                throw interrupted(watch.close());
            } catch (IOException e) {
                watch.close();
                pauseOrThrow(e, attempt, cancelled);
                continue;
            }
            HttpBodyLines lines = new HttpBodyLines(timeout.toNanos());
            response.body().subscribe(lines);
            if (watch.close() == HttpWaitWatch.Reason.CANCELLED) { // just as the headers came
                lines.close();
                throw new CancellationException("cancelled by the caller");
            }
            int status = response.statusCode();
            if (status / 100 == 2) {
                return lines;
            }
            String errorBody;
            try {
                errorBody = lines.readAll(MAX_ERROR_BODY_CHARS, cancelled);
            } catch (IOException e) {
                errorBody = "(the error body could not be read: " + e.getMessage() + ")";
            } finally {
                lines.close();
            }
            pauseOrThrow(uri, response, errorBody, attempt, cancelled);
        }
    }

    private HttpRequest request(URI uri, JsonNode body) {
        if (closed) {
            throw new IllegalStateException(backend + " is closed");
        }
        String json = body.toString();
        if (logRequestsAndResponses) {
            LOG.info("{} request: POST {} {}", backend, uri, scrub(json));
        }
        // no HttpRequest.timeout: HttpWaitWatch times the wait (see there)
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(request::header);
        return request.build();
    }

    private LangChain4jException errorStatus(URI uri, int status, String errorBody, String retryNote) {
        logResponse(errorBody);
        String message = scrub(HttpErrors.serverMessage(errorBody));
        return HttpErrors.forStatus(backend, status, message + hint(status, uri) + retryNote);
    }

    /** Maps a failure of the transport (no HTTP status) to a LangChain4j exception. */
    public LangChain4jException transportFailure(Throwable failure) {
        return transportFailure(failure, "");
    }

    private LangChain4jException transportFailure(Throwable failure, String retryNote) {
        if (failure instanceof HttpBodyLines.IdleTimeoutException idle) {
            return readTimeout(idle);
        }
        if (failure instanceof HttpConnectTimeoutException) {
            // only connectTimeout gives this (a shorter timeout ends the wait first, as a read timeout)
            return new TimeoutException("cannot reach " + serverKind + " at " + baseUrl + ": no connection within "
                    + "connectTimeout " + connectTimeout + " (" + backend + ")" + retryNote, failure);
        }
        if (failure instanceof HttpTimeoutException) {
            return readTimeout(failure);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return new UnresolvedModelServerException("cannot reach " + serverKind + " at " + baseUrl
                        + ": connection refused — is the server running? (" + backend + ")" + retryNote, failure);
            }
            if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
                return new UnresolvedModelServerException("cannot reach " + serverKind + " at " + baseUrl
                        + ": unknown host — check baseUrl (" + backend + ")", failure);
            }
        }
        String detail = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        return new LangChain4jException(backend + ": the connection failed or closed before the answer was complete ("
                + scrub(detail) + ")" + retryNote, failure);
    }

    private TimeoutException readTimeout(Throwable cause) {
        return new TimeoutException(backend + " did not answer within timeout " + timeout
                + " (raise the backend's timeout for long generations)", cause);
    }

    /** Parses a JSON document the server sent; anything else becomes an exception quoting the start of it. */
    public JsonNode parse(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw notJson(text, e);
        }
        if (node == null || !node.isObject()) {
            throw notJson(text, null);
        }
        return node;
    }

    public InternalServerException notJson(String text) {
        return notJson(text, null);
    }

    private InternalServerException notJson(String text, Exception cause) {
        return new InternalServerException(backend + " answered with something that is not the expected JSON"
                + " (is baseUrl the right server?): " + scrub(HttpErrors.snippet(text)), cause);
    }

    /** The exception for an error object a server sent in place of an answer (HTTP 200, e.g. mid-stream). */
    public LangChain4jException answeredError(JsonNode error) {
        int status = HttpErrors.statusOf(error, 500);
        String message = HttpErrors.serverMessage(error);
        if (message == null) { // llama-server's SSE error event carries the bare {"code","message","type"}
            message = error.has("message") ? HttpErrors.describe(error) : HttpErrors.snippet(error.toString());
        }
        return HttpErrors.forStatus(backend, status, "(error inside the answer) " + scrub(message));
    }

    /** Reads what is left of a complete answer so its connection can be reused. */
    public void finish(HttpBodyLines lines) {
        lines.finish(DRAIN_NANOS);
    }

    public void logResponse(String text) {
        if (logRequestsAndResponses) {
            LOG.info("{} response: {}", backend, scrub(text));
        }
    }

    private String hint(int status, URI uri) {
        if (status == 404 && "openai".equals(serverKind) && !uri.getPath().contains("/v1/")) {
            return " (baseUrl has no /v1: OpenAI-compatible servers serve {baseUrl}/completions under /v1)";
        }
        return "";
    }

    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        for (String secret : secrets) {
            text = text.replace(secret, "***");
        }
        return text;
    }

    /**
     * What {@link #scrub} hides: the API key, and the values of headers that carry credentials (an
     * {@code Authorization} header given as a custom header, e.g. for Ollama behind a proxy), with and without their
     * scheme word; longest first, so a key inside a header value goes too.
     */
    private static List<String> secrets(String apiKey, Map<String, String> headers) {
        java.util.Set<String> secrets = new java.util.HashSet<>();
        if (apiKey != null && !apiKey.isEmpty()) {
            secrets.add(apiKey);
        }
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (value == null || value.isBlank() || !(lower.contains("authorization") || lower.contains("key")
                    || lower.contains("token") || lower.contains("secret") || lower.contains("cookie"))) {
                return;
            }
            secrets.add(value.strip());
            int space = value.strip().indexOf(' ');
            if (space > 0 && space < value.strip().length() - 1) { // "Bearer <key>", "Basic <credentials>"
                secrets.add(value.strip().substring(space + 1).strip());
            }
        });
        return secrets.stream().sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Java 21+: HttpClient is AutoCloseable (waits for calls in flight, which their timeouts bound).
        // Java 17: it is not; its only thread (the selector) ends once the client is unreachable.
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing is best effort
            }
        }
    }

    @Override
    public String toString() {
        return "HttpCompletionClient{" + backend + ", timeout=" + timeout + ", connectTimeout=" + connectTimeout
                + ", headers=" + headers.keySet() + '}';
    }

    /** The alternatives of one token's {@code top_logprobs} (Ollama and llama-server write the same shape). */
    public static List<TokenLogprob> topLogprobs(JsonNode alternatives) {
        List<TokenLogprob> top = new ArrayList<>();
        for (JsonNode alternative : alternatives) {
            JsonNode logprob = alternative.get("logprob");
            if (logprob != null && logprob.isNumber()) {
                top.add(new TokenLogprob(alternative.path("token").asText(""), logprob.asDouble()));
            }
        }
        return top;
    }
}
