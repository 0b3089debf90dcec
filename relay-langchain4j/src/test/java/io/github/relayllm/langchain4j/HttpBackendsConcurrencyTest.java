package io.github.relayllm.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.ollama.OllamaCompletionBackend;
import io.github.relayllm.langchain4j.openai.OpenAiCompletionBackend;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many threads through the real HTTP backends at once: the JDK client runs its steps on the calling and selector
 * threads (no pool of its own), so nothing may wait on anything else, every answer must come from its own request,
 * and connections must be pooled and kept alive.
 */
@Timeout(120)
class HttpBackendsConcurrencyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern QUESTION = Pattern.compile("question (\\d+)");
    private static final int THREADS = 32;

    private final ExecutorService serverThreads = Executors.newFixedThreadPool(2 * THREADS);
    private final Set<Integer> studentConnections = ConcurrentHashMap.newKeySet();
    private final Set<Integer> teacherConnections = ConcurrentHashMap.newKeySet();
    private HttpServer server;
    private OllamaCompletionBackend student;
    private OpenAiCompletionBackend teacher;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2 * THREADS);
        server.createContext("/api/generate", this::student);
        server.createContext("/v1/completions", this::teacher);
        server.setExecutor(serverThreads);
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        student = OllamaCompletionBackend.builder().baseUrl(url).modelName("student").build();
        teacher = OpenAiCompletionBackend.builder().baseUrl(url + "/v1").modelName("teacher").apiKey("sk-test").build();
    }

    @AfterEach
    void stop() {
        student.close();
        teacher.close();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    /** Asks for the teacher once, then ends; streams NDJSON in three pieces when asked to. */
    private void student(HttpExchange exchange) throws IOException {
        studentConnections.add(exchange.getRemoteAddress().getPort());
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String prompt = request.path("prompt").asText();
        String n = question(prompt);
        boolean first = !prompt.contains("</call>");
        String text = first ? "s" + n + " <call>" + (Integer.parseInt(n) % 7 + 1) : " end" + n;
        pause();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (!request.path("stream").asBoolean()) {
            respond(exchange, JSON.createObjectNode().put("response", text).put("done", true)
                    .put("done_reason", "stop").put("eval_count", 3).put("prompt_eval_count", 20).toString());
            return;
        }
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream body = exchange.getResponseBody()) {
            for (String piece : List.of(text.substring(0, 1), text.substring(1))) {
                body.write((JSON.createObjectNode().put("response", piece).put("done", false) + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                body.flush();
                pause();
            }
            body.write((JSON.createObjectNode().put("response", "").put("done", true).put("done_reason", "stop")
                    .put("eval_count", 3).put("prompt_eval_count", 20) + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Echoes the question number, for as many tokens as asked. */
    private void teacher(HttpExchange exchange) throws IOException {
        teacherConnections.add(exchange.getRemoteAddress().getPort());
        JsonNode request = JSON.readTree(exchange.getRequestBody().readAllBytes());
        String n = question(request.path("prompt").asText());
        pause();
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        respond(exchange, "{\"choices\":[{\"text\":\"t" + n + "\",\"finish_reason\":\"length\",\"stop_reason\":null}],"
                + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":" + request.path("max_tokens").asInt() + "}}");
    }

    private static void respond(HttpExchange exchange, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(bytes);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String question(String prompt) {
        Matcher matcher = QUESTION.matcher(prompt);
        assertThat(matcher.find()).as("a question number in the prompt").isTrue();
        return matcher.group(1);
    }

    @Test
    void should_answer_32_threads_at_once_each_from_its_own_request_over_kept_alive_connections() throws Exception {
        // given
        RelayChatLanguageModel relay = RelayChatLanguageModel.builder().student(student).teacher(teacher).build();
        ExecutorService callers = Executors.newFixedThreadPool(THREADS);

        // when
        List<Future<List<String>>> results = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            int first = thread * 5;
            results.add(callers.submit(() -> {
                List<String> wrong = new ArrayList<>();
                for (int n = first; n < first + 5; n++) {
                    ChatResponse response = relay.chat(UserMessage.from("question " + n));
                    String expected = "s" + n + " t" + n + " end" + n;
                    if (!expected.equals(response.aiMessage().text())
                            || ((RelayResponseMetadata) response.metadata()).rounds() != 1) {
                        wrong.add(n + ": " + response.aiMessage().text());
                    }
                }
                return wrong;
            }));
        }

        // then
        for (Future<List<String>> result : results) {
            assertThat(result.get()).isEmpty();
        }
        callers.shutdown();
        // 160 relay requests, 320 student and 160 teacher calls over kept-alive connections: about one per thread
        // (twice that leaves room for a connection the server closed; without pooling there would be 320 and 160)
        assertThat(studentConnections).hasSizeLessThanOrEqualTo(2 * THREADS);
        assertThat(teacherConnections).hasSizeLessThanOrEqualTo(2 * THREADS);
    }

    @Test
    void should_stream_32_answers_at_once_piece_by_piece_on_each_caller_s_thread() throws Exception {
        // given
        ExecutorService callers = Executors.newFixedThreadPool(THREADS);

        // when
        List<Future<String>> results = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            int n = thread;
            results.add(callers.submit(() -> {
                List<String> pieces = new ArrayList<>();
                Thread caller = Thread.currentThread();
                StringBuilder problems = new StringBuilder();
                Completion completion = student.completeStreaming(CompletionRequest.builder()
                        .prompt("question " + n + "\n").maxTokens(16).stopStrings("</call>").build(), piece -> {
                    pieces.add(piece);
                    if (Thread.currentThread() != caller) {
                        problems.append("a piece came on ").append(Thread.currentThread().getName());
                    }
                });
                String expected = "s" + n + " <call>" + (n % 7 + 1) + "</call>";
                if (!completion.text().equals(expected) || !String.join("", pieces).equals(expected)
                        || pieces.size() != 3) {
                    problems.append(n).append(": ").append(pieces);
                }
                return problems.toString();
            }));
        }

        // then
        for (Future<String> result : results) {
            assertThat(result.get()).isEmpty();
        }
        callers.shutdown();
    }
}
