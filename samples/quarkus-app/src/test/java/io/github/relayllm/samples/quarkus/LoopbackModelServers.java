package io.github.relayllm.samples.quarkus;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A student and a teacher on loopback, for the sample app's soak and load runs: one JDK {@link HttpServer} (with
 * {@code TCP_NODELAY}) that speaks Ollama's {@code /api/generate} for the student and vLLM's {@code /v1/completions}
 * for the teacher, JSON and streaming (NDJSON, SSE), plus {@code /api/tags} and {@code /v1/models} for the
 * readiness check. Each answer comes after {@code modelMillis} of "model time".
 * <p>
 * The student writes {@code Let me work it out. <call>8} (Ollama cuts the stop string {@code </call>}); after the
 * teacher's span (or once its command is in the text) it ends the answer. The teacher writes 8 tokens, except that
 * a share {@code teacherFailureRate} of its calls, drawn at random, fail in one of the ways a network and a server
 * fail: HTTP 500, 503 and 429 (with {@code Retry-After}) with vLLM's error bodies, a body that is not JSON, a body
 * cut short by a closed connection, and when streaming a connection dropped mid-stream or an SSE error event.
 * {@code GET /stats} answers the counts as JSON.
 */
final class LoopbackModelServers implements AutoCloseable {

    static final String STUDENT_MODEL = "loopback-student";
    static final String TEACHER_MODEL = "loopback-teacher";
    static final String STUDENT_TEXT = "Let me work it out.";
    static final String TEACHER_TEXT = " 6 times 7 is 42.";
    static final String STUDENT_END = " So the answer is 42.";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FAILURE_KINDS = 7;

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // read once, when the JDK server's config loads
    }

    private final HttpServer server;
    private final ThreadPoolExecutor executor;
    private final int modelMillis;
    private final double teacherFailureRate;
    private final AtomicInteger studentCalls = new AtomicInteger();
    private final AtomicInteger teacherCalls = new AtomicInteger();
    private final AtomicInteger teacherFailures = new AtomicInteger();

    LoopbackModelServers(int modelMillis, double teacherFailureRate, int threads) {
        this.modelMillis = modelMillis;
        this.teacherFailureRate = teacherFailureRate;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a loopback port", e);
        }
        AtomicInteger count = new AtomicInteger();
        executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "loopback-model-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.prestartAllCoreThreads(); // a fixed number of threads from the start: counts before/after compare
        server.setExecutor(executor);
        server.createContext("/api/generate", exchange -> answer(exchange, true));
        server.createContext("/v1/completions", exchange -> answer(exchange, false));
        server.createContext("/api/tags", exchange -> send(exchange, 200,
                "{\"models\":[{\"name\":\"" + STUDENT_MODEL + ":latest\",\"model\":\"" + STUDENT_MODEL
                        + ":latest\"}]}"));
        server.createContext("/v1/models", exchange -> send(exchange, 200,
                "{\"object\":\"list\",\"data\":[{\"id\":\"" + TEACHER_MODEL + "\",\"object\":\"model\"}]}"));
        server.createContext("/stats", exchange -> send(exchange, 200, stats()));
        server.start();
    }

    String studentUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String teacherUrl() {
        return studentUrl() + "/v1";
    }

    String stats() {
        return "{\"studentCalls\":" + studentCalls.get() + ",\"teacherCalls\":" + teacherCalls.get()
                + ",\"teacherFailures\":" + teacherFailures.get() + "}";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void answer(HttpExchange exchange, boolean student) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            sleep(modelMillis);
            boolean stream = body.path("stream").asBoolean(false);
            if (student) {
                studentCalls.incrementAndGet();
                String written = written(body.path("prompt").asText());
                boolean called = written.contains("<call>") || written.contains(TEACHER_TEXT.strip());
                String text = called ? STUDENT_END : STUDENT_TEXT + " <call>8";
                ollama(exchange, text, stream);
                return;
            }
            teacherCalls.incrementAndGet();
            if (ThreadLocalRandom.current().nextDouble() < teacherFailureRate) {
                teacherFailures.incrementAndGet();
                fail(exchange, ThreadLocalRandom.current().nextInt(FAILURE_KINDS), stream);
                return;
            }
            openAi(exchange, TEACHER_TEXT, stream);
        } catch (IOException e) {
            // the client went away: nothing to answer
        }
    }

    /** The assistant text after the prompt's last assistant header (and the empty think block). */
    private static String written(String prompt) {
        int at = prompt.lastIndexOf("<|im_start|>assistant\n");
        return at < 0 ? "" : prompt.substring(at);
    }

    private void fail(HttpExchange exchange, int kind, boolean stream) throws IOException {
        switch (kind) {
            case 0 -> send(exchange, 500, "{\"error\":{\"message\":\"CUDA out of memory\",\"type\":"
                    + "\"InternalServerError\",\"code\":500}}");
            case 1 -> send(exchange, 503, "{\"object\":\"error\",\"message\":\"The server is overloaded\","
                    + "\"type\":\"ServiceUnavailableError\",\"code\":503}");
            case 2 -> {
                exchange.getResponseHeaders().set("Retry-After", "1");
                send(exchange, 429, "{\"error\":{\"message\":\"Too many requests\",\"type\":\"RateLimitError\","
                        + "\"code\":429}}");
            }
            case 3 -> {
                exchange.getResponseHeaders().set("Content-Type", "text/html");
                byte[] html = "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, html.length);
                exchange.getResponseBody().write(html);
            }
            case 4 -> {
                // promises more than it sends, then the connection closes
                exchange.getResponseHeaders().set("Content-Type", stream ? "text/event-stream" : "application/json");
                exchange.sendResponseHeaders(200, 400);
                exchange.getResponseBody()
                        .write("{\"id\":\"cmpl-1\",\"choices\":[{\"te".getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
                exchange.close();
            }
            case 5 -> {
                if (!stream) {
                    send(exchange, 500, "{\"object\":\"error\",\"message\":\"EngineDeadError\",\"code\":500}");
                    return;
                }
                // a reset mid-stream: some chunks, then the connection is cut without a finish
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 10_000);
                OutputStream out = exchange.getResponseBody();
                event(out, chunk(" 6", null));
                out.flush();
                exchange.close();
            }
            default -> {
                if (!stream) {
                    send(exchange, 400, "{\"error\":{\"message\":\"This model's maximum context length is 512 "
                            + "tokens\",\"type\":\"BadRequestError\",\"code\":400}}");
                    return;
                }
                // vLLM's error event mid-stream
                exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
                exchange.sendResponseHeaders(200, 0);
                OutputStream out = exchange.getResponseBody();
                event(out, chunk(" 6", null));
                event(out, "{\"error\":{\"message\":\"the engine died\",\"type\":\"InternalServerError\","
                        + "\"code\":500}}");
                event(out, "[DONE]");
            }
        }
    }

    private static void ollama(HttpExchange exchange, String text, boolean stream) throws IOException {
        String last = "\"done\":true,\"done_reason\":\"stop\",\"prompt_eval_count\":60,\"eval_count\":"
                + text.split(" ").length + "}";
        if (!stream) {
            send(exchange, 200, "{\"model\":\"" + STUDENT_MODEL + "\",\"response\":" + quote(text) + "," + last);
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (String word : text.split("(?= )")) {
            out.write(("{\"model\":\"" + STUDENT_MODEL + "\",\"response\":" + quote(word) + ",\"done\":false}\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        out.write(("{\"model\":\"" + STUDENT_MODEL + "\",\"response\":\"\"," + last + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void openAi(HttpExchange exchange, String text, boolean stream) throws IOException {
        String usage = "\"usage\":{\"prompt_tokens\":70,\"completion_tokens\":8,\"total_tokens\":78}";
        if (!stream) {
            String answer = chunk(text, "length");
            send(exchange, 200, answer.substring(0, answer.length() - 1) + "," + usage + "}");
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (String word : text.split("(?= )")) {
            event(out, chunk(word, null));
        }
        event(out, chunk("", "length"));
        event(out, "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"model\":\"" + TEACHER_MODEL
                + "\",\"choices\":[]," + usage + "}");
        event(out, "[DONE]");
    }

    private static String chunk(String text, String finish) {
        return "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1764748800,\"model\":\"" + TEACHER_MODEL
                + "\",\"choices\":[{\"index\":0,\"text\":" + quote(text) + ",\"finish_reason\":"
                + (finish == null ? "null" : quote(finish)) + "}]}";
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (!exchange.getResponseHeaders().containsKey("Content-Type")) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String quote(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(int millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
