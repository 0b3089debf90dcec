package io.github.relayllm.quarkus.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A student (Ollama {@code /api/generate}) and a teacher (OpenAI {@code /v1/completions}) on one local port, with
 * the answers of DESIGN section 4. The student asks for a call until the prompt holds the teacher's words:
 * <pre>
 * student: "The answer is&lt;call&gt;5"   (stop string cut, as Ollama does)
 * teacher: " forty-two"                  (5 tokens, finish_reason length)
 * student: " Done."                      (end of sequence)
 * </pre>
 * One server per JVM: QuarkusUnitTest loads the test class twice (JUnit's and the application's class loader), so
 * the port is kept in a system property rather than a static field.
 */
final class BackendStub {

    static final String STUDENT_MODEL = "student-model";
    static final String TEACHER_MODEL = "teacher-model";
    static final String ANSWER = "The answer is forty-two Done.";
    private static final String PORT_PROPERTY = "relay.test.backend-stub.port";
    private static final String REQUESTS_PROPERTY = "relay.test.backend-stub.requests";

    private BackendStub() {
    }

    /** The stub's root URL: Ollama's base URL, and with {@code /v1} appended the OpenAI one. */
    static synchronized String url() {
        String port = System.getProperty(PORT_PROPERTY);
        if (port == null) {
            port = String.valueOf(start());
            System.setProperty(PORT_PROPERTY, port);
        }
        return "http://localhost:" + port;
    }

    /**
     * Every generation request the stub got, in order, as {@code <path> <body as sent>}; clear it before a scenario.
     * Kept in the system properties, like the port, so both class loaders see one list.
     */
    @SuppressWarnings("unchecked")
    static List<String> requests() {
        return (List<String>) System.getProperties().computeIfAbsent(REQUESTS_PROPERTY,
                key -> Collections.synchronizedList(new ArrayList<String>()));
    }

    private static int start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
            server.createContext("/api/generate", BackendStub::ollamaGenerate);
            server.createContext("/api/tags", exchange -> respond(exchange, 200, "application/json",
                    "{\"models\":[{\"name\":\"" + STUDENT_MODEL + ":latest\"}]}"));
            server.createContext("/v1/completions", BackendStub::openAiCompletions);
            server.createContext("/v1/models", exchange -> respond(exchange, 200, "application/json",
                    "{\"object\":\"list\",\"data\":[{\"id\":\"" + TEACHER_MODEL + "\",\"object\":\"model\"}]}"));
            server.setExecutor(null);
            server.start();
            return server.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void ollamaGenerate(HttpExchange exchange) throws IOException {
        String body = read(exchange);
        boolean stream = body.contains("\"stream\":true");
        boolean afterTeacher = body.contains("forty-two");
        String text = afterTeacher ? " Done." : "The answer is<call>5";
        int tokens = afterTeacher ? 3 : 6;
        String last = "{\"model\":\"" + STUDENT_MODEL + "\",\"response\":\"%s\",\"done\":true,\"done_reason\":\"stop\","
                + "\"prompt_eval_count\":20,\"eval_count\":" + tokens + "}";
        if (stream) {
            respond(exchange, 200, "application/x-ndjson",
                    "{\"model\":\"" + STUDENT_MODEL + "\",\"response\":\"" + text + "\",\"done\":false}\n"
                            + last.formatted("") + "\n");
        } else {
            respond(exchange, 200, "application/json", last.formatted(text));
        }
    }

    private static void openAiCompletions(HttpExchange exchange) throws IOException {
        String body = read(exchange);
        String usage = "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":5,\"total_tokens\":25}";
        if (body.contains("\"stream\":true")) {
            respond(exchange, 200, "text/event-stream",
                    "data: {\"choices\":[{\"index\":0,\"text\":\" forty-two\",\"finish_reason\":null}]}\n\n"
                            + "data: {\"choices\":[{\"index\":0,\"text\":\"\",\"finish_reason\":\"length\"}],"
                            + usage + "}\n\n"
                            + "data: [DONE]\n\n");
        } else {
            respond(exchange, 200, "application/json", "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"model\":\""
                    + TEACHER_MODEL + "\",\"choices\":[{\"index\":0,\"text\":\" forty-two\",\"finish_reason\":\"length\"}],"
                    + usage + "}");
        }
    }

    private static String read(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            requests().add(exchange.getRequestURI().getPath() + " " + body);
            return body.replace(" ", "");
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
