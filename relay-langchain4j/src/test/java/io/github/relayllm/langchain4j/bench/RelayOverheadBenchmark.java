package io.github.relayllm.langchain4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.relayllm.langchain4j.RelayChatLanguageModel;
import io.github.relayllm.langchain4j.RelayResponseMetadata;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.StreamingCompletionHandler;
import io.github.relayllm.langchain4j.ollama.OllamaCompletionBackend;
import io.github.relayllm.langchain4j.openai.OpenAiCompletionBackend;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * How much time the relay itself adds per round, measured against loopback servers (DESIGN section 6: under 1 ms per
 * round and under 2% of end-to-end time). Not a test: a command that prints numbers.
 * <p>
 * Two loopback servers in this JVM play the models: a student speaking Ollama's {@code /api/generate} that asks for
 * the teacher ({@code <call>8}, cut by the "server") until it has made {@code rounds} calls and then ends the answer,
 * and a teacher speaking vLLM's {@code /v1/completions} that writes its 8 tokens. Each answer comes after
 * {@code modelMillis} of "model time" (0: instant; 10: a realistic small model round).
 * <p>
 * Each iteration runs one relay request through {@link RelayChatLanguageModel} over {@link OllamaCompletionBackend}
 * and {@link OpenAiCompletionBackend}, and, in alternating order, the very same HTTP calls made directly (the request
 * bodies the relay sent, replayed byte for byte with a bare {@link HttpClient} that reads the answers as bytes and
 * parses nothing). The relay's overhead for that iteration is the difference: rendering the prompt, building and
 * parsing JSON, reading the answers as lines, the relay's bookkeeping and the answer's parsing. It is reported per
 * round (per teacher call; each round is one student and one teacher call, plus the student's last call per request)
 * and as a share of the relay's end-to-end time. A third line runs the relay over in-memory backends (no HTTP at all)
 * to show the loop's own CPU time.
 * <p>
 * A further server kind, {@link PlainHttpServers}, is the plainest server the JDK can make: two
 * {@code com.sun.net.httpserver.HttpServer}s (student and teacher on their own ports) whose dispatcher thread answers
 * at once with canned bytes, TCP_NODELAY on. Against it the relay runs {@code plainRounds} teacher rounds (default 1:
 * three HTTP calls) in {@code plainPairs} interleaved pairs with the same calls made directly, after
 * {@code plainWarmup} pairs of warm-up (400 were too few: the JIT was still compiling the relay's longer path and
 * the median came out 2-3 times higher); the median of the per-pair differences is the overhead per round.
 * <p>
 * Run it with (from the repository root; nothing to install):
 * <pre>
 * mvn -q -pl relay-langchain4j test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.relayllm.langchain4j.bench.RelayOverheadBenchmark
 * </pre>
 * Arguments ({@code -Dexec.args="…"}), all optional: {@code rounds=3 instantIterations=3000
 * realisticIterations=300 modelMillis=10 plainRounds=1 plainPairs=400 plainWarmup=3000 only=all} ({@code only}: {@code loopback},
 * {@code plain} or {@code memory} runs one part).
 */
public final class RelayOverheadBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final String COMMAND = "<call>8";
    private static final String STUDENT_STEP = " Let me work this out step by step: 17 × 23 means seventeen twenty-threes.";
    private static final String STUDENT_END = " So the answer is 391.";
    private static final String TEACHER_TEXT = " 17 × 23 = 17 × 20 + 17 × 3 = 340 + 51";

    private RelayOverheadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // The JDK's HttpServer writes headers and body in two writes and leaves Nagle's algorithm on: each answer
        // would then wait ~40 ms for the client's delayed ACK. Real servers (Go, uvicorn, llama-server) set
        // TCP_NODELAY; so does this one.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int rounds = BenchArgs.arg(args, "rounds", 3);
        int instantIterations = BenchArgs.arg(args, "instantIterations", 3000);
        int realisticIterations = BenchArgs.arg(args, "realisticIterations", 300);
        int modelMillis = BenchArgs.arg(args, "modelMillis", 10);
        int plainRounds = BenchArgs.arg(args, "plainRounds", 1);
        int plainPairs = BenchArgs.arg(args, "plainPairs", 400);
        int plainWarmup = BenchArgs.arg(args, "plainWarmup", 3000);

        System.out.printf(Locale.ROOT, "Relay overhead per round: %d rounds per request (%d HTTP calls; plain server "
                        + "kind: %d), JDK %s, %d CPUs, load average %.2f%n", rounds, 2 * rounds + 1, plainRounds,
                System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        String only = BenchArgs.textArg(args, "only", "all");
        if (only.equals("all") || only.equals("loopback")) {
            try (LoopbackModels models = new LoopbackModels(rounds)) {
                measure(models, rounds, 0, instantIterations / 2, instantIterations);
                measure(models, rounds, modelMillis, Math.max(20, realisticIterations / 10), realisticIterations);
            }
        }
        if (only.equals("all") || only.equals("plain")) {
            measurePlain(plainRounds, plainWarmup, plainPairs);
        }
        if (only.equals("all") || only.equals("memory")) {
            measureInMemory(rounds, instantIterations, instantIterations);
        }
        System.exit(0);
    }

    private static void measure(LoopbackModels models, int rounds, int modelMillis, int warmup, int iterations)
            throws Exception {
        models.modelMillis = modelMillis;
        OllamaCompletionBackend student = OllamaCompletionBackend.builder()
                .baseUrl(models.url()).modelName("relayllm-student").build();
        OpenAiCompletionBackend teacher = OpenAiCompletionBackend.builder()
                .baseUrl(models.url() + "/v1").modelName("Qwen/Qwen3-8B").apiKey("sk-bench").build();
        RelayChatLanguageModel relay = RelayChatLanguageModel.builder()
                .student(student).teacher(teacher).maxCallTokens(256).maxRounds(16).maxTokens(8192).build();
        HttpClient bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        ChatRequest request = BenchArgs.chatRequest();

        models.recording = true;
        ChatResponse first = relay.chat(request);
        models.recording = false;
        List<HttpRequest> sameCalls = models.replay();
        check(first, rounds, sameCalls.size());
        comparePairs(modelMillis == 0 ? "instant servers (0 ms model time)"
                        : "realistic servers (" + modelMillis + " ms model time per call)",
                relay, request, bare, sameCalls, rounds, warmup, iterations);
        student.close();
        teacher.close();
    }

    /**
     * The plain JDK server kind ({@link PlainHttpServers}: two servers, the dispatcher thread answers at once with
     * canned bytes, TCP_NODELAY), {@code rounds} teacher rounds per request, {@code pairs} interleaved pairs.
     */
    private static void measurePlain(int rounds, int warmup, int pairs) throws Exception {
        try (PlainHttpServers servers = PlainHttpServers.create(rounds, 0, BenchArgs.jsonText(STUDENT_STEP), COMMAND,
                BenchArgs.jsonText(STUDENT_END), BenchArgs.jsonText(TEACHER_TEXT))) {
            OllamaCompletionBackend student = OllamaCompletionBackend.builder()
                    .baseUrl(servers.studentUrl()).modelName("relayllm-student").build();
            OpenAiCompletionBackend teacher = OpenAiCompletionBackend.builder()
                    .baseUrl(servers.teacherUrl()).modelName("Qwen/Qwen3-8B").apiKey("sk-bench").build();
            RelayChatLanguageModel relay = RelayChatLanguageModel.builder()
                    .student(student).teacher(teacher).maxCallTokens(256).maxRounds(16).maxTokens(8192).build();
            HttpClient bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            ChatRequest request = BenchArgs.chatRequest();
            servers.recording = true;
            ChatResponse first = relay.chat(request);
            servers.recording = false;
            List<HttpRequest> sameCalls = servers.replay();
            check(first, rounds, sameCalls.size());
            comparePairs("plain JDK HttpServer (two ports, canned answers at once), " + rounds + " teacher round(s), "
                    + sameCalls.size() + " HTTP calls per request, direct calls on a default HttpClient", relay, request,
                    bare, sameCalls, rounds, warmup, pairs);
            // the strictest floor: a bare client tuned as the relay's own (no executor hand-offs)
            HttpClient tuned = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(Runnable::run)
                    .build();
            comparePairs("the same, direct calls on an HttpClient with executor(Runnable::run) as the relay's",
                    relay, request, tuned, sameCalls, rounds, warmup, pairs);
            student.close();
            teacher.close();
        }
    }

    private static void comparePairs(String what, RelayChatLanguageModel relay, ChatRequest request, HttpClient bare,
                                     List<HttpRequest> sameCalls, int rounds, int warmup, int iterations)
            throws Exception {
        long[] relayNanos = new long[iterations];
        long[] directNanos = new long[iterations];
        long relayCpu = 0;
        long directCpu = 0;
        for (int i = -warmup; i < iterations; i++) {
            long cpu0 = CPU.getProcessCpuTime();
            long relayTime;
            long directTime;
            long cpu1;
            if ((i & 1) == 0) {
                relayTime = timeRelay(relay, request);
                cpu1 = CPU.getProcessCpuTime();
                directTime = timeDirect(bare, sameCalls);
            } else {
                directTime = timeDirect(bare, sameCalls);
                cpu1 = CPU.getProcessCpuTime();
                relayTime = timeRelay(relay, request);
            }
            long cpu2 = CPU.getProcessCpuTime();
            if (i >= 0) {
                relayNanos[i] = relayTime;
                directNanos[i] = directTime;
                relayCpu += (i & 1) == 0 ? cpu1 - cpu0 : cpu2 - cpu1;
                directCpu += (i & 1) == 0 ? cpu2 - cpu1 : cpu1 - cpu0;
            }
        }
        report(what, rounds, relayNanos, directNanos);
        // CPU time of the whole process (client and loopback servers alike), which waiting for a busy CPU does not
        // inflate: the difference is the work the relay adds, whatever the machine's load.
        System.out.printf(Locale.ROOT, "  process CPU per round   relay %6.1f µs   direct %6.1f µs   added by the relay"
                        + " %6.1f µs%n", relayCpu / 1e3 / iterations / rounds, directCpu / 1e3 / iterations / rounds,
                (relayCpu - directCpu) / 1e3 / iterations / rounds);
    }

    private static long timeRelay(RelayChatLanguageModel relay, ChatRequest request) {
        long start = System.nanoTime();
        relay.chat(request);
        return System.nanoTime() - start;
    }

    private static long timeDirect(HttpClient bare, List<HttpRequest> calls) throws Exception {
        long start = System.nanoTime();
        for (HttpRequest call : calls) {
            HttpResponse<byte[]> response = bare.send(call, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("direct call answered " + response.statusCode());
            }
        }
        return System.nanoTime() - start;
    }

    private static void measureInMemory(int rounds, int warmup, int iterations) {
        RelayChatLanguageModel relay = RelayChatLanguageModel.builder()
                .student(new InMemoryModel(true, rounds)).teacher(new InMemoryModel(false, rounds))
                .maxCallTokens(256).maxRounds(16).maxTokens(8192).build();
        ChatRequest request = BenchArgs.chatRequest();
        check(relay.chat(request), rounds, 2 * rounds + 1);
        long[] nanos = new long[iterations];
        for (int i = -warmup; i < iterations; i++) {
            long time = timeRelay(relay, request);
            if (i >= 0) {
                nanos[i] = time;
            }
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "%nrelay loop alone (in-memory backends, no HTTP), %d requests:%n"
                        + "  per round   mean %6.1f µs   p50 %6.1f µs   p99 %6.1f µs%n", iterations,
                mean(nanos) / 1e3 / rounds, nanos[iterations / 2] / 1e3 / rounds,
                nanos[(int) (iterations * 0.99)] / 1e3 / rounds);
    }

    private static void check(ChatResponse response, int rounds, int calls) {
        RelayResponseMetadata metadata = (RelayResponseMetadata) response.metadata();
        String expected = (STUDENT_STEP + TEACHER_TEXT).repeat(rounds) + STUDENT_END;
        if (metadata.rounds() != rounds || calls != 2 * rounds + 1 || !response.aiMessage().text().equals(expected)) {
            throw new IllegalStateException("the relay did not run as scripted: rounds " + metadata.rounds()
                    + ", calls " + calls + ", text '" + response.aiMessage().text() + "'");
        }
    }

    private static void report(String what, int rounds, long[] relayNanos, long[] directNanos) {
        int n = relayNanos.length;
        long[] overheadPerRound = new long[n];
        double[] percent = new double[n];
        for (int i = 0; i < n; i++) {
            overheadPerRound[i] = (relayNanos[i] - directNanos[i]) / rounds;
            percent[i] = 100.0 * (relayNanos[i] - directNanos[i]) / relayNanos[i];
        }
        double meanRelay = mean(relayNanos);
        double meanDirect = mean(directNanos);
        Arrays.sort(overheadPerRound);
        Arrays.sort(percent);
        System.out.printf(Locale.ROOT, "%n%s, %d requests:%n"
                        + "  end to end  relay mean %8.1f µs   same HTTP calls directly mean %8.1f µs%n"
                        + "  overhead per round   mean %6.1f µs   p50 %6.1f µs   p99 %6.1f µs%n"
                        + "  overhead share       mean %5.2f %%     p50 %5.2f %%     p99 %5.2f %%%n",
                what, n, meanRelay / 1e3, meanDirect / 1e3,
                (meanRelay - meanDirect) / rounds / 1e3, overheadPerRound[n / 2] / 1e3,
                overheadPerRound[(int) (n * 0.99)] / 1e3,
                100.0 * (meanRelay - meanDirect) / meanRelay, percent[n / 2], percent[(int) (n * 0.99)]);
    }

    private static double mean(long[] values) {
        double sum = 0;
        for (long value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    /** The student's and the teacher's servers: Ollama's and vLLM's answer shapes, after a pause of model time. */
    private static final class LoopbackModels implements AutoCloseable {

        private final HttpServer server;
        private final ExecutorService executor = Executors.newFixedThreadPool(4);
        private final int rounds;
        private final List<String[]> recorded = new ArrayList<>();
        volatile int modelMillis;
        volatile boolean recording;

        LoopbackModels(int rounds) throws IOException {
            this.rounds = rounds;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            server.createContext("/api/generate", exchange -> answer(exchange, true));
            server.createContext("/v1/completions", exchange -> answer(exchange, false));
            server.setExecutor(executor);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        private void answer(HttpExchange exchange, boolean student) throws IOException {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (recording) {
                synchronized (recorded) {
                    recorded.add(new String[]{exchange.getRequestURI().getPath(), new String(body, StandardCharsets.UTF_8)});
                }
            }
            JsonNode request = JSON.readTree(body);
            String prompt = request.path("prompt").asText();
            String answer = student ? studentAnswer(prompt, request) : teacherAnswer(prompt, request);
            if (modelMillis > 0) {
                try {
                    Thread.sleep(modelMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        }

        private String studentAnswer(String prompt, JsonNode request) throws IOException {
            int calls = count(prompt, "</call>");
            boolean ask = calls < rounds;
            return JSON.writeValueAsString(JSON.createObjectNode()
                    .put("model", request.path("model").asText())
                    .put("created_at", "2026-11-28T13:00:00.000000001Z")
                    .put("response", ask ? STUDENT_STEP + COMMAND : STUDENT_END)
                    .put("done", true).put("done_reason", "stop")
                    .put("total_duration", 10_512_345).put("load_duration", 12_345)
                    .put("prompt_eval_count", prompt.length() / 4).put("prompt_eval_duration", 1_234_567)
                    .put("eval_count", ask ? 20 : 7).put("eval_duration", 9_123_456));
        }

        private String teacherAnswer(String prompt, JsonNode request) throws IOException {
            int maxTokens = request.path("max_tokens").asInt();
            return """
                    {"id":"cmpl-bench","object":"text_completion","created":1795870800,"model":"Qwen/Qwen3-8B",\
                    "choices":[{"index":0,"text":%s,"logprobs":null,"finish_reason":"length","stop_reason":null,\
                    "prompt_logprobs":null}],"service_tier":null,"system_fingerprint":null,"usage":{"prompt_tokens":%d,\
                    "total_tokens":%d,"completion_tokens":%d,"prompt_tokens_details":{"cached_tokens":%d}},\
                    "kv_transfer_params":null}""".formatted(JSON.writeValueAsString(TEACHER_TEXT), prompt.length() / 4,
                    prompt.length() / 4 + maxTokens, maxTokens, prompt.length() / 5);
        }

        private static int count(String text, String part) {
            int count = 0;
            for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
                count++;
            }
            return count;
        }

        /** The recorded calls as requests a bare client can send again, byte for byte. */
        List<HttpRequest> replay() {
            List<HttpRequest> requests = new ArrayList<>();
            synchronized (recorded) {
                for (String[] call : recorded) {
                    requests.add(HttpRequest.newBuilder(URI.create(url() + call[0]))
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
            server.stop(0);
            executor.shutdownNow();
        }
    }

    /** The same script without HTTP: what the relay loop costs by itself. */
    private static final class InMemoryModel implements CompletionBackend {

        private final boolean student;
        private final int rounds;

        InMemoryModel(boolean student, int rounds) {
            this.student = student;
            this.rounds = rounds;
        }

        @Override
        public Completion complete(CompletionRequest request) {
            if (!student) {
                return Completion.builder().text(TEACHER_TEXT).generatedTokens(request.maxTokens()).promptTokens(100)
                        .finishReason(Completion.FinishReason.LENGTH).build();
            }
            boolean ask = LoopbackModels.count(request.prompt(), "</call>") < rounds;
            return ask
                    ? Completion.builder().text(STUDENT_STEP + COMMAND + "</call>").generatedTokens(20).promptTokens(100)
                    .finishReason(Completion.FinishReason.STOP).stopString("</call>").build()
                    : Completion.builder().text(STUDENT_END).generatedTokens(7).promptTokens(100)
                    .finishReason(Completion.FinishReason.EOS).build();
        }

        @Override
        public Completion completeStreaming(CompletionRequest request, StreamingCompletionHandler handler) {
            Completion completion = complete(request);
            handler.onPartialText(completion.text());
            return completion;
        }

        @Override
        public String name() {
            return student ? "in-memory(student)" : "in-memory(teacher)";
        }

        @Override
        public String modelName() {
            return name();
        }
    }
}
