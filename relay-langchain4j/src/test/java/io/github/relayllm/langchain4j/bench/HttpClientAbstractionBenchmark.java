package io.github.relayllm.langchain4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.http.client.HttpMethod;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.model.chat.request.ChatRequest;
import io.github.relayllm.langchain4j.RelayChatLanguageModel;
import io.github.relayllm.langchain4j.RelayResponseMetadata;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.StreamingCompletionHandler;
import io.github.relayllm.langchain4j.ollama.OllamaCompletionBackend;
import io.github.relayllm.langchain4j.openai.OpenAiCompletionBackend;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Issue 13, item 3: should the HTTP backends sit on LangChain4j's HTTP client abstraction
 * ({@code dev.langchain4j:langchain4j-http-client}, here its JDK implementation {@code langchain4j-http-client-jdk})
 * instead of the relay's own {@code HttpCompletionClient}? Not a test: a command that prints numbers.
 * <p>
 * Against {@link PlainHttpServers} (answering at once, TCP_NODELAY), three things run in rotating order, after as
 * many rounds of warm-up: a relay request over the relay's own backends ({@link OllamaCompletionBackend},
 * {@link OpenAiCompletionBackend}); the same relay request over two minimal backends of this file that build the same
 * JSON and post it through a {@link JdkHttpClient} as a LangChain4j provider module would
 * ({@code JdkHttpClient.builder().connectTimeout(…).readTimeout(…).build()}, then {@code execute(request)}); and the
 * same HTTP calls made directly with a bare {@link HttpClient}. Reported: the median overhead per round of each relay
 * over the direct calls.
 * <p>
 * Run it with (from the repository root; nothing to install):
 * <pre>
 * mvn -q -pl relay-langchain4j test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.relayllm.langchain4j.bench.HttpClientAbstractionBenchmark
 * </pre>
 * Arguments ({@code -Dexec.args="…"}), all optional: {@code rounds=1 iterations=1000}.
 */
public final class HttpClientAbstractionBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COMMAND = "<call>8";
    private static final String STUDENT_STEP = " Let me work this out step by step: 17 × 23 means seventeen twenty-threes.";
    private static final String STUDENT_END = " So the answer is 391.";
    private static final String TEACHER_TEXT = " 17 × 23 = 17 × 20 + 17 × 3 = 340 + 51";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private HttpClientAbstractionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = BenchArgs.arg(args, "rounds", 1);
        int iterations = BenchArgs.arg(args, "iterations", 1000);
        System.out.printf(Locale.ROOT, "HTTP layer: %d teacher round(s) per request (%d HTTP calls), JDK %s, %d CPUs, "
                        + "load average %.2f%n", rounds, 2 * rounds + 1, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        try (PlainHttpServers servers = PlainHttpServers.create(rounds, 0, BenchArgs.jsonText(STUDENT_STEP), COMMAND,
                BenchArgs.jsonText(STUDENT_END), BenchArgs.jsonText(TEACHER_TEXT))) {
            OllamaCompletionBackend ownStudent = OllamaCompletionBackend.builder().baseUrl(servers.studentUrl())
                    .modelName("relayllm-student").timeout(TIMEOUT).connectTimeout(CONNECT_TIMEOUT).build();
            OpenAiCompletionBackend ownTeacher = OpenAiCompletionBackend.builder().baseUrl(servers.teacherUrl())
                    .modelName("Qwen/Qwen3-8B").apiKey("sk-bench").timeout(TIMEOUT).connectTimeout(CONNECT_TIMEOUT)
                    .build();
            RelayChatLanguageModel own = relay(ownStudent, ownTeacher);
            RelayChatLanguageModel langchain4j = relay(
                    new AbstractionBackend(true, servers.studentUrl() + "/api/generate", "relayllm-student", null),
                    new AbstractionBackend(false, servers.teacherUrl() + "/completions", "Qwen/Qwen3-8B", "sk-bench"));
            HttpClient bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            ChatRequest request = BenchArgs.chatRequest();

            servers.recording = true;
            check(own.chat(request).metadata(), rounds);
            servers.recording = false;
            List<HttpRequest> sameCalls = servers.replay();
            check(langchain4j.chat(request).metadata(), rounds);

            long[] ownNanos = new long[iterations];
            long[] abstractionNanos = new long[iterations];
            long[] directNanos = new long[iterations];
            for (int i = -iterations; i < iterations; i++) {
                long ownTime = 0;
                long abstractionTime = 0;
                long directTime = 0;
                for (int k = 0; k < 3; k++) {
                    switch (Math.floorMod(i + k, 3)) {
                        case 0 -> ownTime = time(() -> own.chat(request));
                        case 1 -> abstractionTime = time(() -> langchain4j.chat(request));
                        default -> directTime = time(() -> direct(bare, sameCalls));
                    }
                }
                if (i >= 0) {
                    ownNanos[i] = ownTime;
                    abstractionNanos[i] = abstractionTime;
                    directNanos[i] = directTime;
                }
            }
            System.out.printf(Locale.ROOT, "%d requests each, overhead per round over the same calls made directly:%n",
                    iterations);
            report("relay's own HttpCompletionClient", ownNanos, directNanos, rounds);
            report("langchain4j-http-client-jdk     ", abstractionNanos, directNanos, rounds);
            ownStudent.close();
            ownTeacher.close();
        }
        System.exit(0);
    }

    private interface Timed {
        void run() throws Exception;
    }

    private static long time(Timed work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return System.nanoTime() - start;
    }

    private static void direct(HttpClient bare, List<HttpRequest> calls) throws Exception {
        for (HttpRequest call : calls) {
            HttpResponse<byte[]> response = bare.send(call, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("direct call answered " + response.statusCode());
            }
        }
    }

    private static void report(String what, long[] relayNanos, long[] directNanos, int rounds) {
        int n = relayNanos.length;
        long[] overhead = new long[n];
        for (int i = 0; i < n; i++) {
            overhead[i] = (relayNanos[i] - directNanos[i]) / rounds;
        }
        Arrays.sort(overhead);
        long[] relay = relayNanos.clone();
        Arrays.sort(relay);
        System.out.printf(Locale.ROOT, "  %s  relay request p50 %7.1f µs   overhead per round p50 %6.1f µs  "
                + "p90 %7.1f µs%n", what, relay[n / 2] / 1e3, overhead[n / 2] / 1e3, overhead[n * 9 / 10] / 1e3);
    }

    private static RelayChatLanguageModel relay(CompletionBackend student, CompletionBackend teacher) {
        return RelayChatLanguageModel.builder().student(student).teacher(teacher)
                .maxCallTokens(256).maxRounds(16).maxTokens(8192).build();
    }

    private static void check(Object metadata, int rounds) {
        if (((RelayResponseMetadata) metadata).rounds() != rounds) {
            throw new IllegalStateException("the relay did not run as scripted: " + metadata);
        }
    }

    /**
     * The least a backend on LangChain4j's HTTP client does: the same JSON body as the relay's backend, one
     * {@code execute}, the answer read with Jackson. Blocking only (the relay benchmark makes blocking calls).
     */
    private static final class AbstractionBackend implements CompletionBackend {

        private final boolean ollama;
        private final String url;
        private final String model;
        private final String apiKey;
        private final dev.langchain4j.http.client.HttpClient client;

        AbstractionBackend(boolean ollama, String url, String model, String apiKey) {
            this.ollama = ollama;
            this.url = url;
            this.model = model;
            this.apiKey = apiKey;
            this.client = JdkHttpClient.builder().connectTimeout(CONNECT_TIMEOUT).readTimeout(TIMEOUT).build();
        }

        @Override
        public Completion complete(CompletionRequest request) {
            ObjectNode body = JSON.createObjectNode().put("model", model).put("prompt", request.prompt());
            if (ollama) {
                body.put("raw", true).put("think", false).put("stream", false);
                ObjectNode options = body.putObject("options").put("num_predict", request.maxTokens());
                request.stopStrings().forEach(options.putArray("stop")::add);
            } else {
                body.put("max_tokens", request.maxTokens()).put("stream", false);
                if (!request.stopStrings().isEmpty()) {
                    request.stopStrings().forEach(body.putArray("stop")::add);
                }
            }
            dev.langchain4j.http.client.HttpRequest.Builder http = dev.langchain4j.http.client.HttpRequest.builder()
                    .method(HttpMethod.POST).url(url).addHeader("Content-Type", "application/json")
                    .body(body.toString());
            if (apiKey != null) {
                http.addHeader("Authorization", "Bearer " + apiKey);
            }
            JsonNode answer;
            try {
                answer = JSON.readTree(client.execute(http.build()).body());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
            String text = ollama ? answer.path("response").asText("")
                    : answer.path("choices").path(0).path("text").asText("");
            String reason = ollama ? answer.path("done_reason").asText("stop")
                    : answer.path("choices").path(0).path("finish_reason").asText("stop");
            Completion.Builder completion = Completion.builder().promptTokens(100)
                    .generatedTokens(ollama ? answer.path("eval_count").asInt()
                            : answer.path("usage").path("completion_tokens").asInt());
            if ("length".equals(reason)) {
                return completion.text(text).finishReason(Completion.FinishReason.LENGTH).build();
            }
            if (request.stopStrings().contains("</call>") && text.lastIndexOf("<call>") > text.lastIndexOf("</call>")) {
                return completion.text(text + "</call>").finishReason(Completion.FinishReason.STOP)
                        .stopString("</call>").build();
            }
            return completion.text(text).finishReason(Completion.FinishReason.EOS).build();
        }

        @Override
        public Completion completeStreaming(CompletionRequest request, StreamingCompletionHandler handler) {
            throw new UnsupportedOperationException("the benchmark makes blocking calls only");
        }

        @Override
        public String name() {
            return "langchain4j-http(" + model + ")";
        }

        @Override
        public String modelName() {
            return model;
        }
    }

}
