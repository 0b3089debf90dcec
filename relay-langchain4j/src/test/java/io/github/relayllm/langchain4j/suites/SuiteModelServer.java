package io.github.relayllm.langchain4j.suites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A loopback server that plays both models of a relay for LangChain4j's suites, in the wire shapes of DESIGN
 * section 4: the student on Ollama's {@code /api/generate} (JSON and NDJSON; the stop string {@code </call>} cut, as
 * Ollama does) and the teacher on {@code /v1/completions} (JSON and SSE with a usage chunk, as vLLM does). Both
 * continue the same answer ({@link SuiteAnswers}) from where the text in the prompt stands, one character per token:
 * the student writes up to the answer's hand-off span and asks for it with {@code <call>N</call>}, the teacher writes
 * at most {@code max_tokens} characters, the student finishes. Both honour their token limit (then "length").
 * <p>
 * {@link #failing()} makes the student answer HTTP 404 with Ollama's error body, for the listeners' error tests.
 */
final class SuiteModelServer implements AutoCloseable {

    static final String STUDENT_MODEL = "suite-student";
    static final String TEACHER_MODEL = "suite-teacher";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern COMMAND = Pattern.compile("<call>\\s*\\d*\\s*</call>");

    static {
        // the JDK server leaves Nagle's algorithm on otherwise: every answer would wait for a delayed ACK
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private volatile boolean studentFails;

    SuiteModelServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a loopback port", e);
        }
        executor = Executors.newFixedThreadPool(8, runnable -> {
            Thread thread = new Thread(runnable, "suite-model-server");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/api/generate", exchange -> handle(exchange, true));
        server.createContext("/v1/completions", exchange -> handle(exchange, false));
        server.start();
    }

    /** The student's base URL (Ollama). */
    String studentUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The teacher's base URL (OpenAI-compatible, ending in /v1). */
    String teacherUrl() {
        return studentUrl() + "/v1";
    }

    /** From now on the student answers 404 "model not found". */
    SuiteModelServer failing() {
        studentFails = true;
        return this;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange, boolean student) throws IOException {
        try (exchange) {
            JsonNode body = JSON.readTree(exchange.getRequestBody());
            if (student && studentFails) {
                send(exchange, 404, "application/json",
                        "{\"error\":\"model \\\"" + STUDENT_MODEL + "\\\" not found, try pulling it first\"}");
                return;
            }
            String prompt = body.path("prompt").asText();
            int limit = student ? body.path("options").path("num_predict").asInt(Integer.MAX_VALUE)
                    : body.path("max_tokens").asInt(16);
            Turn turn = student ? studentTurn(prompt, limit) : teacherTurn(prompt, limit);
            boolean stream = body.path("stream").asBoolean(false);
            if (student) {
                ollama(exchange, prompt, turn, stream);
            } else {
                openAi(exchange, prompt, turn, stream);
            }
        } catch (IOException e) {
            // the client went away (a cancelled stream): nothing to answer
        }
    }

    /** What one completion writes and why it ends: "stop" (end-of-sequence or the stop string), "length". */
    record Turn(String text, String finish) {
    }

    static Turn studentTurn(String prompt, int limit) {
        SuiteAnswers.Conversation conversation = SuiteAnswers.parse(prompt);
        SuiteAnswers.Answer answer = SuiteAnswers.answer(conversation);
        String written = COMMAND.matcher(conversation.written()).replaceAll("");
        if (!answer.text().startsWith(written)) {
            return new Turn("(the fake student lost its place: the prompt does not continue its answer)", "stop");
        }
        String rest = answer.text().substring(written.length());
        int handoff = answer.handoff() == null ? -1 : answer.text().indexOf(answer.handoff());
        boolean called = conversation.written().contains("<call>");
        if (!called && handoff >= written.length()) {
            // Ollama cuts the stop string </call>: the text ends in "<call>N"
            rest = rest.substring(0, handoff - written.length()) + "<call>" + answer.handoff().length();
        }
        return limit(rest, limit, "stop");
    }

    static Turn teacherTurn(String prompt, int limit) {
        SuiteAnswers.Conversation conversation = SuiteAnswers.parse(prompt);
        SuiteAnswers.Answer answer = SuiteAnswers.answer(conversation);
        String written = conversation.written();
        if (!answer.text().startsWith(written)) {
            return new Turn("(the fake teacher lost its place: the prompt does not continue its answer)", "stop");
        }
        return limit(answer.text().substring(written.length()), limit, "stop");
    }

    private static Turn limit(String text, int limit, String finish) {
        return text.length() > limit ? new Turn(text.substring(0, limit), "length") : new Turn(text, finish);
    }

    private static void ollama(HttpExchange exchange, String prompt, Turn turn, boolean stream) throws IOException {
        if (!stream) {
            ObjectNode answer = ollamaChunk(turn.text(), true);
            answer.put("done_reason", turn.finish());
            answer.put("prompt_eval_count", prompt.length());
            answer.put("eval_count", turn.text().length());
            send(exchange, 200, "application/json", answer.toString());
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < turn.text().length(); i++) {
            line(out, ollamaChunk(turn.text().substring(i, i + 1), false).toString());
        }
        ObjectNode last = ollamaChunk("", true);
        last.put("done_reason", turn.finish());
        last.put("prompt_eval_count", prompt.length());
        last.put("eval_count", turn.text().length());
        line(out, last.toString());
    }

    private static ObjectNode ollamaChunk(String text, boolean done) {
        ObjectNode chunk = JSON.createObjectNode();
        chunk.put("model", STUDENT_MODEL);
        chunk.put("created_at", "2026-12-03T08:00:00.000000000Z");
        chunk.put("response", text);
        chunk.put("done", done);
        return chunk;
    }

    private static void openAi(HttpExchange exchange, String prompt, Turn turn, boolean stream) throws IOException {
        ObjectNode usage = JSON.createObjectNode();
        usage.put("prompt_tokens", prompt.length());
        usage.put("completion_tokens", turn.text().length());
        usage.put("total_tokens", prompt.length() + turn.text().length());
        if (!stream) {
            ObjectNode answer = openAiChunk(turn.text(), turn.finish());
            answer.set("usage", usage);
            send(exchange, 200, "application/json", answer.toString());
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        for (int i = 0; i < turn.text().length(); i++) {
            event(out, openAiChunk(turn.text().substring(i, i + 1), null).toString());
        }
        event(out, openAiChunk("", turn.finish()).toString());
        ObjectNode usageChunk = openAiChunk(null, null);
        usageChunk.putArray("choices");
        usageChunk.set("usage", usage);
        event(out, usageChunk.toString());
        event(out, "[DONE]");
    }

    private static ObjectNode openAiChunk(String text, String finish) {
        ObjectNode chunk = JSON.createObjectNode();
        chunk.put("id", "cmpl-suite");
        chunk.put("object", "text_completion");
        chunk.put("created", 1764748800L);
        chunk.put("model", TEACHER_MODEL);
        if (text != null) {
            ObjectNode choice = chunk.putArray("choices").addObject();
            choice.put("index", 0);
            choice.put("text", text);
            if (finish == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finish);
            }
        }
        return chunk;
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void line(OutputStream out, String json) throws IOException {
        out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void event(OutputStream out, String data) throws IOException {
        out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
