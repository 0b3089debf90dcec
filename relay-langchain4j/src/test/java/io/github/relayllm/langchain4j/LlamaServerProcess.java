package io.github.relayllm.langchain4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/**
 * A real llama-server serving one GGUF model on a free loopback port, for the integration tests of
 * {@link OpenAiCompletionBackend}. The binary is the system property {@code relay.llamaServer}, which the Maven
 * profile {@code llama-server} sets to where {@code .ci/build-llama-server.sh} caches its build (llama.cpp as the
 * npm package node-llama-cpp 3.22.1 ships it).
 * <p>
 * Besides the OpenAI-compatible API the tests use the server's own endpoints to check what the backend reports:
 * {@code /tokenize} and the Prometheus counters of {@code /metrics}.
 */
final class LlamaServerProcess implements AutoCloseable {

    static final String BINARY_PROPERTY = "relay.llamaServer";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private LlamaServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts llama-server on {@code model} with one slot (so the prompt cache of one request serves the next), one
     * thread and the model's trained context, and waits until {@code /health} says the model is loaded.
     */
    static LlamaServerProcess start(Path model) throws IOException, InterruptedException {
        Path binary = binary();
        int port = freePort();
        Path log = Files.createTempFile("llama-server-" + model.getFileName() + "-", ".log");
        List<String> command = List.of(binary.toString(), "-m", model.toString(),
                "--host", "127.0.0.1", "--port", String.valueOf(port),
                "-c", "0", "-np", "1", "-t", "1", "-tb", "1", "--metrics");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LlamaServerProcess server = new LlamaServerProcess(process, port, log);
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly)); // a killed test JVM
        server.awaitHealthy(command);
        return server;
    }

    /** The binary named by {@value #BINARY_PROPERTY}; fails the test with what to run when there is none. */
    static Path binary() {
        String configured = System.getProperty(BINARY_PROPERTY);
        if (configured == null || configured.isBlank()) {
            return fail("the system property " + BINARY_PROPERTY + " (the llama-server binary) is not set: run these "
                    + "tests with the Maven profile llama-server, after building the server once: "
                    + "bash .ci/build-llama-server.sh && mvn -B verify -Pllama-server");
        }
        Path path = Path.of(configured);
        if (!Files.isRegularFile(path) || !Files.isExecutable(path)) {
            return fail("no llama-server binary at " + BINARY_PROPERTY + "=" + configured + ". Build it with "
                    + "'bash .ci/build-llama-server.sh' (prints the path of the binary; about 11 minutes on 2 cores, "
                    + "cached in ~/.cache/relay), or pass -D" + BINARY_PROPERTY + "=/path/to/llama-server");
        }
        return path;
    }

    /** A loopback port on which nothing listens at the time of the call. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The OpenAI-compatible API root, e.g. {@code http://127.0.0.1:39211/v1}. */
    String baseUrl() {
        return root() + "/v1";
    }

    private String root() {
        return "http://127.0.0.1:" + port;
    }

    /** The token ids the server's tokenizer makes of {@code text}, BOS included as the completions endpoint adds it. */
    List<Integer> tokenize(String text) throws IOException, InterruptedException {
        JsonNode answer = post("/tokenize", Map.of("content", text, "add_special", true));
        List<Integer> ids = new ArrayList<>();
        answer.path("tokens").forEach(id -> ids.add(id.asInt()));
        return ids;
    }

    /** A counter of {@code /metrics} such as {@code tokens_predicted_total} (without the {@code llamacpp:} prefix). */
    long counter(String name) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(root() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return fail("GET /metrics answered " + response.statusCode() + ": " + response.body());
        }
        for (String line : response.body().split("\n")) {
            if (line.startsWith("llamacpp:" + name + " ")) {
                return Math.round(Double.parseDouble(line.substring(line.indexOf(' ') + 1).strip()));
            }
        }
        return fail("GET /metrics has no counter llamacpp:" + name + ":\n" + response.body());
    }

    private JsonNode post(String path, Object body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(root() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return fail("POST " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private void awaitHealthy(List<String> command) throws IOException, InterruptedException {
        HttpRequest health = HttpRequest.newBuilder(URI.create(root() + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("llama-server exited with " + process.exitValue() + " (" + String.join(" ", command) + "):\n"
                        + Files.readString(log));
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        close();
        fail("llama-server did not become healthy within " + START_TIMEOUT + " (" + String.join(" ", command)
                + "):\n" + Files.readString(log));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(log);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // a temp file left behind
        }
    }

    @Override
    public String toString() {
        return "llama-server at " + root() + " (log " + log + ")";
    }
}
