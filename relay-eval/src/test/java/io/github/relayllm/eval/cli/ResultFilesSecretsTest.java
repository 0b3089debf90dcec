package io.github.relayllm.eval.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * relay-eval's result files, report files and console output never hold the API key, also when the teacher server
 * echoes it back in its errors ("Incorrect API key provided: …"). The key is the {@code OPENAI_API_KEY} that
 * surefire sets for this module's tests.
 */
class ResultFilesSecretsTest {

    private static final String KEY = System.getenv("OPENAI_API_KEY");

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicInteger studentCalls = new AtomicInteger();

    @BeforeEach
    void start_a_student_and_a_teacher_that_echoes_the_key() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/generate", exchange -> { // a call, then the answer
            exchange.getRequestBody().readAllBytes();
            respond(exchange, 200, studentCalls.incrementAndGet() % 2 == 1
                    ? "{\"response\":\"2 + 2 <call>3\",\"done\":true,\"done_reason\":\"stop\",\"eval_count\":5}"
                    : "{\"response\":\" #### 4\",\"done\":true,\"done_reason\":\"stop\",\"eval_count\":3}");
        });
        server.createContext("/v1/completions", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(String.valueOf(authorization));
            respond(exchange, 401, "{\"error\":{\"message\":\"Incorrect API key provided: " + authorization
                    + "\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void should_keep_the_key_out_of_results_reports_and_output() throws Exception {
        // given
        assertThat(KEY).as("surefire sets OPENAI_API_KEY for this test").startsWith("sk-");
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        Path dataset = dir.resolve("data.jsonl");
        Files.writeString(dataset, "{\"question\":\"2 + 2?\",\"answer\":\"#### 4\"}\n");
        Path relay = dir.resolve("relay.jsonl");
        Path teacher = dir.resolve("teacher.jsonl");

        // when: the relay continues without the failing teacher; the teacher alone fails
        CommandRun relayRun = CommandRun.execute("run", "--mode", "relay", "--dataset", dataset.toString(),
                "--output", relay.toString(), "--student", "ollama:" + url + ":student",
                "--teacher", "openai:" + url + "/v1:teacher", "--timeout", "PT10S");
        CommandRun teacherRun = CommandRun.execute("run", "--mode", "teacher", "--dataset", dataset.toString(),
                "--output", teacher.toString(), "--teacher", "openai:" + url + "/v1:teacher", "--timeout", "PT10S");
        CommandRun report = CommandRun.execute("report", relay.toString(), teacher.toString(),
                "--output-dir", dir.resolve("report").toString());

        // then
        assertThat(authorizations).as("the teacher got the key, from the relay and alone").hasSize(2)
                .allMatch(("Bearer " + KEY)::equals);
        assertThat(Files.readString(relay)).as("the relay answered without the teacher").contains("\"correct\":true");
        assertThat(Files.readString(teacher)).as("the teacher's error is recorded").contains("HTTP 401")
                .contains("Incorrect API key provided");
        assertThat(report.exitCode()).isZero();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(KEY);
            }
        }
        for (CommandRun run : List.of(relayRun, teacherRun, report)) {
            assertThat(run.out()).doesNotContain(KEY);
            assertThat(run.err()).doesNotContain(KEY);
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
