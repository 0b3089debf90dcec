package io.github.relayllm.langchain4j.bench;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.relayllm.langchain4j.RelayChatLanguageModel;
import io.github.relayllm.langchain4j.RelayResponseMetadata;
import io.github.relayllm.langchain4j.ollama.OllamaCompletionBackend;
import io.github.relayllm.langchain4j.openai.OpenAiCompletionBackend;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many relay requests at once over the HTTP backends: is the relay's throughput that of the same HTTP calls made
 * directly, and does nothing on its request path make threads queue for a lock? Not a test: a command that prints
 * numbers.
 * <p>
 * Loopback servers ({@link PlainHttpServers}: an Ollama-shaped student and a vLLM-shaped teacher on their own ports,
 * a pool of {@code 2 × clients} threads so no call waits for a server thread) answer every call after
 * {@code modelMillis} of "model time". {@code clients} threads then run, for {@code seconds} each time:
 * <ul>
 *     <li>relay: one {@link RelayChatLanguageModel} shared by all threads, each thread sending relay requests of
 *     {@code rounds} teacher rounds ({@code 2 × rounds + 1} HTTP calls) back to back;</li>
 *     <li>direct: the very same HTTP calls (the request bodies the relay sent, byte for byte) made by the same number
 *     of threads through one shared {@link HttpClient} that parses nothing.</li>
 * </ul>
 * The two alternate ({@code phases} times each, the order swapped every phase, after a warm-up of both) so a change
 * of machine load falls on both alike. Reported: requests per second, relay as a share of direct, latency p50/p99.
 * <p>
 * Then one more relay phase and one more direct phase run under a JFR recording of {@code jdk.JavaMonitorEnter} with no threshold (every
 * time a thread had to wait to enter a {@code synchronized} monitor), and the events are sorted into those with a
 * relay frame ({@code io.github.relayllm}, the benchmark's own classes excepted) on their stack and the rest (the JDK's
 * HTTP client and server).
 * <p>
 * Run it with (from the repository root; nothing to install):
 * <pre>
 * mvn -q -pl relay-langchain4j test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.relayllm.langchain4j.bench.RelayConcurrencyBenchmark
 * </pre>
 * Arguments ({@code -Dexec.args="…"}), all optional: {@code clients=64 modelMillis=10 rounds=1 seconds=10
 * phases=3 warmupSeconds=40 checkSeconds=5 check=both} ({@code check}: relay, direct or both; {@code checkSeconds=0} skips
 * the JFR check).
 */
public final class RelayConcurrencyBenchmark {

    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final String COMMAND = "<call>8";
    private static final String STUDENT_STEP = " Let me work this out step by step: 17 × 23 means seventeen twenty-threes.";
    private static final String STUDENT_END = " So the answer is 391.";
    private static final String TEACHER_TEXT = " 17 × 23 = 17 × 20 + 17 × 3 = 340 + 51";

    private RelayConcurrencyBenchmark() {
    }

    /** One kind of request, sent by many threads at once. */
    private interface Work {
        void run() throws Exception;
    }

    /** What one phase measured. */
    private record Phase(long requests, long nanos, long cpuNanos, long[] latencies) {

        double perSecond() {
            return requests * 1e9 / nanos;
        }

        double cpuMicrosPerRequest() {
            return cpuNanos / 1e3 / requests;
        }
    }

    public static void main(String[] args) throws Exception {
        int clients = BenchArgs.arg(args, "clients", 64);
        int modelMillis = BenchArgs.arg(args, "modelMillis", 10);
        int rounds = BenchArgs.arg(args, "rounds", 1);
        int seconds = BenchArgs.arg(args, "seconds", 10);
        int phases = BenchArgs.arg(args, "phases", 3);
        int warmupSeconds = BenchArgs.arg(args, "warmupSeconds", 40);
        int checkSeconds = BenchArgs.arg(args, "checkSeconds", 5);
        System.out.printf(Locale.ROOT, "%d clients at once, %d ms model time per call, %d teacher round(s) per request "
                        + "(%d HTTP calls), JDK %s, %d CPUs, load average %.2f%n", clients, modelMillis, rounds,
                2 * rounds + 1, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

        try (PlainHttpServers servers = PlainHttpServers.create(rounds, 2 * clients, BenchArgs.jsonText(STUDENT_STEP), COMMAND,
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
            check(relay.chat(request), rounds);
            servers.recording = false;
            List<HttpRequest> sameCalls = servers.replay();
            if (sameCalls.size() != 2 * rounds + 1) {
                throw new IllegalStateException("the relay made " + sameCalls.size() + " calls, not " + (2 * rounds + 1));
            }
            servers.modelMillis = modelMillis;

            Work relayWork = () -> relay.chat(request);
            Work directWork = () -> {
                for (HttpRequest call : sameCalls) {
                    HttpResponse<byte[]> response = bare.send(call, HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("direct call answered " + response.statusCode());
                    }
                }
            };
            run(relayWork, clients, warmupSeconds);
            run(directWork, clients, warmupSeconds);

            List<Phase> relayPhases = new ArrayList<>();
            List<Phase> directPhases = new ArrayList<>();
            for (int phase = 0; phase < phases; phase++) {
                boolean relayFirst = phase % 2 == 0;
                Phase first = run(relayFirst ? relayWork : directWork, clients, seconds);
                Phase second = run(relayFirst ? directWork : relayWork, clients, seconds);
                Phase relayPhase = relayFirst ? first : second;
                Phase directPhase = relayFirst ? second : first;
                relayPhases.add(relayPhase);
                directPhases.add(directPhase);
                System.out.printf(Locale.ROOT, "phase %d: relay %7.1f requests/s   direct %7.1f requests/s   relay/direct"
                                + " %5.1f %%   CPU per request relay %6.1f µs direct %6.1f µs   load average %.2f%n",
                        phase + 1, relayPhase.perSecond(), directPhase.perSecond(),
                        100 * relayPhase.perSecond() / directPhase.perSecond(), relayPhase.cpuMicrosPerRequest(),
                        directPhase.cpuMicrosPerRequest(),
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            }
            if (phases > 0) {
                report(relayPhases, directPhases, phases * seconds);
            }
            if (checkSeconds > 0) {
                try (Recording warmJfr = new Recording()) { // JFR's first start costs seconds: not in a checked phase
                    warmJfr.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ZERO).withStackTrace();
                    warmJfr.start();
                    run(relayWork, clients, 2);
                    run(directWork, clients, 2);
                    warmJfr.stop();
                }
                String check = BenchArgs.textArg(args, "check", "both");
                if (!check.equals("direct")) {
                    monitorCheck("relay", relayWork, clients, checkSeconds);
                }
                if (!check.equals("relay")) {
                    monitorCheck("direct", directWork, clients, checkSeconds);
                }
            }
            student.close();
            teacher.close();
        }
        System.exit(0);
    }

    private static void report(List<Phase> relayPhases, List<Phase> directPhases, int seconds) {
        Phase relayAll = merge(relayPhases);
        Phase directAll = merge(directPhases);
        System.out.printf(Locale.ROOT, "%nall phases (%d s each side):%n"
                        + "  throughput  relay %7.1f requests/s   direct %7.1f requests/s   relay/direct %5.1f %%%n"
                        + "  latency     relay p50 %6.2f ms  p99 %6.2f ms  max %7.2f ms   direct p50 %6.2f ms  p99 %6.2f ms"
                        + "  max %7.2f ms%n"
                        + "  process CPU per request (clients and servers)  relay %6.1f µs   direct %6.1f µs%n",
                seconds, relayAll.perSecond(), directAll.perSecond(),
                100 * relayAll.perSecond() / directAll.perSecond(),
                percentile(relayAll.latencies, 0.50) / 1e6, percentile(relayAll.latencies, 0.99) / 1e6,
                percentile(relayAll.latencies, 1.0) / 1e6,
                percentile(directAll.latencies, 0.50) / 1e6, percentile(directAll.latencies, 0.99) / 1e6,
                percentile(directAll.latencies, 1.0) / 1e6,
                relayAll.cpuMicrosPerRequest(), directAll.cpuMicrosPerRequest());
    }

    /** Runs {@code work} on {@code clients} threads for {@code seconds}; every request started is finished. */
    private static Phase run(Work work, int clients, int seconds) throws InterruptedException {
        long[][] latencies = new long[clients][];
        int[] counts = new int[clients];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        long[] deadline = new long[1];
        Thread[] threads = new Thread[clients];
        for (int t = 0; t < clients; t++) {
            int index = t;
            threads[t] = new Thread(() -> {
                long[] mine = new long[1024];
                int count = 0;
                ready.countDown();
                try {
                    go.await();
                    while (System.nanoTime() < deadline[0] && failure.get() == null) {
                        long start = System.nanoTime();
                        work.run();
                        if (count == mine.length) {
                            mine = Arrays.copyOf(mine, 2 * count);
                        }
                        mine[count++] = System.nanoTime() - start;
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
                latencies[index] = mine;
                counts[index] = count;
            }, "bench-client-" + t);
            threads[t].start();
        }
        ready.await();
        long cpuStart = CPU.getProcessCpuTime();
        long start = System.nanoTime();
        deadline[0] = start + Duration.ofSeconds(seconds).toNanos();
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        long nanos = System.nanoTime() - start;
        long cpuNanos = CPU.getProcessCpuTime() - cpuStart;
        if (failure.get() != null) {
            throw new IllegalStateException("a request failed", failure.get());
        }
        int total = Arrays.stream(counts).sum();
        long[] all = new long[total];
        int at = 0;
        for (int t = 0; t < clients; t++) {
            System.arraycopy(latencies[t], 0, all, at, counts[t]);
            at += counts[t];
        }
        Arrays.sort(all);
        return new Phase(total, nanos, cpuNanos, all);
    }

    /** One more phase under JFR: which monitors made threads wait, and were any of them the relay's? */
    private static void monitorCheck(String what, Work work, int clients, int seconds) throws Exception {
        Path file = Files.createTempFile("relay-concurrency", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            Phase phase = run(work, clients, seconds);
            recording.stop();
            recording.dump(file);
            Map<String, Integer> relayPath = new HashMap<>();
            Map<String, Integer> elsewhere = new HashMap<>();
            long events = 0;
            for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
                events++;
                String monitor = event.getClass("monitorClass").getName();
                List<RecordedFrame> frames = event.getStackTrace() == null ? List.of() : event.getStackTrace().getFrames();
                String top = frames.isEmpty() ? "?" : frames.get(0).getMethod().getType().getName() + "."
                        + frames.get(0).getMethod().getName();
                String relayFrame = null;
                for (RecordedFrame frame : frames) {
                    String type = frame.getMethod().getType().getName();
                    if (type.startsWith("io.github.relayllm.") && !type.contains(".bench.")) {
                        relayFrame = type + "." + frame.getMethod().getName();
                        break;
                    }
                }
                String key = monitor + " in " + top + (relayFrame == null ? "" : " (via " + relayFrame + ")");
                (relayFrame == null ? elsewhere : relayPath).merge(key, 1, Integer::sum);
            }
            System.out.printf(Locale.ROOT, "%nJFR jdk.JavaMonitorEnter (threshold 0) over one more %s phase of %d s, "
                            + "%d requests: %d contended monitor entries, %d with a relay frame on the stack%n",
                    what, seconds, phase.requests(), events,
                    relayPath.values().stream().mapToInt(Integer::intValue).sum());
            printTop("  with a relay frame", relayPath);
            printTop("  elsewhere (JDK HTTP client and server)", elsewhere);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void printTop(String title, Map<String, Integer> counts) {
        System.out.println(title + ":" + (counts.isEmpty() ? " none" : ""));
        counts.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(6)
                .forEach(entry -> System.out.printf(Locale.ROOT, "    %6d  %s%n", entry.getValue(), entry.getKey()));
    }

    private static Phase merge(List<Phase> phases) {
        long requests = 0;
        long nanos = 0;
        long cpuNanos = 0;
        List<long[]> all = new ArrayList<>();
        int size = 0;
        for (Phase phase : phases) {
            requests += phase.requests();
            nanos += phase.nanos();
            cpuNanos += phase.cpuNanos();
            all.add(phase.latencies());
            size += phase.latencies().length;
        }
        long[] latencies = new long[size];
        int at = 0;
        for (long[] part : all) {
            System.arraycopy(part, 0, latencies, at, part.length);
            at += part.length;
        }
        Arrays.sort(latencies);
        return new Phase(requests, nanos, cpuNanos, latencies);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))];
    }

    private static void check(ChatResponse response, int rounds) {
        RelayResponseMetadata metadata = (RelayResponseMetadata) response.metadata();
        String expected = (STUDENT_STEP + TEACHER_TEXT).repeat(rounds) + STUDENT_END;
        if (metadata.rounds() != rounds || !response.aiMessage().text().equals(expected)) {
            throw new IllegalStateException("the relay did not run as scripted: rounds " + metadata.rounds()
                    + ", text '" + response.aiMessage().text() + "'");
        }
    }

}
