package io.github.relayllm.langchain4j.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The plainest loopback model servers the JDK can make: two {@link HttpServer}s (one port for the student, one for
 * the teacher, as two real servers would be), each answering with a canned body at once or after {@code modelMillis}.
 * The student speaks Ollama's {@code /api/generate}, the teacher vLLM's {@code /v1/completions}. Nothing is parsed:
 * the student asks for the teacher until its prompt holds {@code rounds} commands (a byte search of the request
 * body), so the servers cost as little as a server can and the relay's own cost shows.
 * <p>
 * TCP_NODELAY: {@code HttpServer} has no socket option API; its implementation reads the system property
 * {@code sun.net.httpserver.nodelay} once, when its configuration class loads, and then sets TCP_NODELAY on every
 * accepted socket. The property must therefore be set before the first server in the JVM is created, which
 * {@link #create} does. Without it each answer (headers and body are two writes) waits ~40 ms for a delayed ACK.
 * <p>
 * With {@code threads = 0} the server's own dispatcher thread answers (no executor hand-off: the cheapest server);
 * with more, a fixed pool of that many threads answers, enough that 64 callers never queue behind a sleeping one.
 */
final class PlainHttpServers implements AutoCloseable {

    private static final byte[] COMMAND_END = "</call>".getBytes(StandardCharsets.US_ASCII);

    private final HttpServer student;
    private final HttpServer teacher;
    private final ExecutorService executor;
    private final int rounds;
    private final byte[] studentAsks;
    private final byte[] studentEnds;
    private final byte[] teacherWrites;
    private final List<String[]> recorded = new ArrayList<>();
    volatile int modelMillis;
    volatile boolean recording;

    private PlainHttpServers(int rounds, int threads, String studentStep, String command, String studentEnd,
                             String teacherText) throws IOException {
        this.rounds = rounds;
        this.studentAsks = ollama(studentStep + command, 20);
        this.studentEnds = ollama(studentEnd, 7);
        this.teacherWrites = ("{\"id\":\"cmpl-bench\",\"object\":\"text_completion\",\"created\":1795870800,"
                + "\"model\":\"Qwen/Qwen3-8B\",\"choices\":[{\"index\":0,\"text\":\"" + teacherText + "\","
                + "\"logprobs\":null,\"finish_reason\":\"length\",\"stop_reason\":null}],\"usage\":{\"prompt_tokens\":"
                + "120,\"total_tokens\":128,\"completion_tokens\":8,\"prompt_tokens_details\":{\"cached_tokens\":96}}}")
                .getBytes(StandardCharsets.UTF_8);
        this.executor = threads > 0 ? Executors.newFixedThreadPool(threads) : null;
        this.student = server(backlog(threads));
        this.teacher = server(backlog(threads));
        student.createContext("/api/generate", exchange -> answer(exchange, true));
        teacher.createContext("/v1/completions", exchange -> answer(exchange, false));
        student.start();
        teacher.start();
    }

    static PlainHttpServers create(int rounds, int threads, String studentStep, String command, String studentEnd,
                                   String teacherText) throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        return new PlainHttpServers(rounds, threads, studentStep, command, studentEnd, teacherText);
    }

    private static int backlog(int threads) {
        return Math.max(64, 2 * threads);
    }

    private HttpServer server(int backlog) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), backlog);
        server.setExecutor(executor);
        return server;
    }

    private static byte[] ollama(String response, int evalCount) {
        return ("{\"model\":\"relayllm-student\",\"created_at\":\"2026-11-28T13:00:00.000000001Z\",\"response\":\""
                + response + "\",\"done\":true,\"done_reason\":\"stop\",\"total_duration\":10512345,"
                + "\"load_duration\":12345,\"prompt_eval_count\":120,\"prompt_eval_duration\":1234567,\"eval_count\":"
                + evalCount + ",\"eval_duration\":9123456}").getBytes(StandardCharsets.UTF_8);
    }

    String studentUrl() {
        return "http://127.0.0.1:" + student.getAddress().getPort();
    }

    String teacherUrl() {
        return "http://127.0.0.1:" + teacher.getAddress().getPort() + "/v1";
    }

    private void answer(HttpExchange exchange, boolean isStudent) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (recording) {
            synchronized (recorded) {
                recorded.add(new String[]{(isStudent ? studentUrl() : teacherUrl()) + (isStudent ? "/api/generate"
                        : "/completions"), new String(body, StandardCharsets.UTF_8)});
            }
        }
        byte[] answer = !isStudent ? teacherWrites : count(body) - 1 < rounds ? studentAsks : studentEnds;
        if (modelMillis > 0) {
            try {
                Thread.sleep(modelMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        exchange.getResponseBody().write(answer);
        exchange.close();
    }

    /**
     * How many {@code </call>} the request body holds (JSON leaves {@code </call>} as it is): the commands in the
     * prompt, plus one for the stop string.
     */
    private static int count(byte[] body) {
        int count = 0;
        outer:
        for (int i = 0; i + COMMAND_END.length <= body.length; i++) {
            for (int j = 0; j < COMMAND_END.length; j++) {
                if (body[i + j] != COMMAND_END[j]) {
                    continue outer;
                }
            }
            count++;
        }
        return count;
    }

    /** The recorded calls as requests a bare client can send again, byte for byte. */
    List<HttpRequest> replay() {
        List<HttpRequest> requests = new ArrayList<>();
        synchronized (recorded) {
            for (String[] call : recorded) {
                requests.add(HttpRequest.newBuilder(URI.create(call[0]))
                        // no request timeout: the barest call (the relay times its waits without the JDK timer)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(call[1])).build());
            }
            recorded.clear();
        }
        return requests;
    }

    @Override
    public void close() {
        student.stop(0);
        teacher.stop(0);
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
