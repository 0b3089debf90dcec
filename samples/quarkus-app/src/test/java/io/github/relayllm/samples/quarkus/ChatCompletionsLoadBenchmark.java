package io.github.relayllm.samples.quarkus;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * 64 clients at once through the sample's {@code POST /v1/chat/completions} against loopback models with 10 ms of
 * model time per call ({@link LoopbackModelsProfile.Timed}), beside the same three model calls (student, teacher,
 * student) made directly by 64 threads with a plain {@link HttpClient}, and beside the same answer from an endpoint
 * in the same app that makes those three calls itself with no relay ({@link DirectChatCompletionsResource}).
 * Prints throughput, p50/p99 latency and CPU per request of each, plain and streaming, and what a thread sampler
 * saw blocked on a monitor during two more endpoint runs. Not a test (surefire does not pick {@code *Benchmark} up);
 * a command that prints numbers:
 * <pre>
 * mvn -B -pl samples/quarkus-app -am verify -DskipITs -Dtest=ChatCompletionsLoadBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * System properties: {@code relay.load.clients} (64), {@code relay.load.requestsPerClient} (20),
 * {@code relay.load.rounds} (3: direct calls, then direct endpoint and relay endpoint, plain and streaming,
 * interleaved, each reported).
 */
@QuarkusTest
@TestProfile(LoopbackModelsProfile.Timed.class)
class ChatCompletionsLoadBenchmark {

    private static final String QUESTION = "What is 6 times 7?";

    @TestHTTPResource("/v1/chat/completions")
    URI endpoint;

    @TestHTTPResource("/bench/direct/v1/chat/completions")
    URI directEndpoint;

    @ConfigProperty(name = "quarkus.langchain4j.relay.student.base-url")
    String studentUrl;

    @ConfigProperty(name = "quarkus.langchain4j.relay.teacher.base-url")
    String teacherUrl;

    @Test
    void measure() throws Exception {
        int clients = Integer.getInteger("relay.load.clients", 64);
        int perClient = Integer.getInteger("relay.load.requestsPerClient", 20);
        int rounds = Integer.getInteger("relay.load.rounds", 3);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Runnable::run).build(); // no hand-off per step (as the relay's backends)
        Call direct = () -> direct(http);
        Call plain = () -> endpoint(http, endpoint, false);
        Call streaming = () -> endpoint(http, endpoint, true);
        Call directPlain = () -> endpoint(http, directEndpoint, false);
        Call directStreaming = () -> endpoint(http, directEndpoint, true);
        for (Call call : List.of(direct, directPlain, plain, directStreaming, streaming)) {
            run(pool, clients, 4, call, null); // warm-up: JIT, connection pools, worker threads
        }
        System.out.printf(Locale.ROOT, "load: %d clients x %d requests, 10 ms model time per call, 3 calls per "
                + "request; %d CPUs, load average %.2f%n", clients, perClient,
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Map<String, Integer> blocked = new TreeMap<>();
        for (int round = 1; round <= rounds; round++) {
            Result directResult = run(pool, clients, perClient, direct, null);
            Result directPlainResult = run(pool, clients, perClient, directPlain, null);
            Result plainResult = run(pool, clients, perClient, plain, null);
            Result directStreamingResult = run(pool, clients, perClient, directStreaming, null);
            Result streamingResult = run(pool, clients, perClient, streaming, null);
            print(round, "direct calls           ", directResult, directResult, null);
            print(round, "direct endpoint, plain ", directPlainResult, directResult, null);
            print(round, "endpoint, plain        ", plainResult, directResult, directPlainResult);
            print(round, "direct endpoint, stream", directStreamingResult, directResult, null);
            print(round, "endpoint, stream       ", streamingResult, directResult, directStreamingResult);
        }
        // the sampler takes a thread dump every 5 ms (a safepoint that stops every thread), so it watches runs of its
        // own after the measured ones rather than slowing the relay's
        run(pool, clients, perClient, plain, blocked);
        run(pool, clients, perClient, streaming, blocked);
        System.out.println("load: monitors threads were blocked on during two more endpoint runs, plain and streaming "
                + "(samples every 5 ms): " + (blocked.isEmpty() ? "none" : blocked));
        pool.shutdownNow();
    }

    private static void print(int round, String what, Result result, Result direct, Result directEndpoint) {
        System.out.printf(Locale.ROOT, "load: round %d %s %7.1f requests/s (%5.1f%% of direct calls%s), "
                        + "p50 %6.1f ms, p99 %6.1f ms, CPU %.2f ms/request (whole JVM, loopback servers included), "
                        + "failed %d%n",
                round, what, result.throughput(), 100 * result.throughput() / direct.throughput(),
                directEndpoint == null ? "" : String.format(Locale.ROOT, ", %5.1f%% of the direct endpoint",
                        100 * result.throughput() / directEndpoint.throughput()),
                result.percentile(50), result.percentile(99), result.cpuNanos / 1e6 / result.latencies.length,
                result.failed);
        System.out.printf(Locale.ROOT, "load: round %d %s   CPU ms/request by thread: %s%n", round, what,
                result.cpuByThreadPerRequest());
    }

    /** One request through the endpoint; returns normally when it was answered. */
    private void endpoint(HttpClient http, URI endpoint, boolean stream) throws Exception {
        String body = "{\"model\":\"relay\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"" + QUESTION + "\"}]}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().contains("42")) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
    }

    /** The relay's three model calls for one answer, made directly: student, teacher, student. */
    private void direct(HttpClient http) throws Exception {
        String prompt = "<|im_start|>user\n" + QUESTION + "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n";
        String first = post(http, studentUrl + "/api/generate", DirectChatCompletionsResource.student(prompt, false));
        String command = LoopbackModelServers.STUDENT_TEXT + " <call>8</call>";
        if (!first.contains("<call>8")) {
            throw new IllegalStateException(first);
        }
        post(http, teacherUrl + "/completions",
                DirectChatCompletionsResource.teacher(prompt + LoopbackModelServers.STUDENT_TEXT, false));
        post(http, studentUrl + "/api/generate",
                DirectChatCompletionsResource.student(prompt + command + LoopbackModelServers.TEACHER_TEXT, false));
    }

    private static String post(HttpClient http, String url, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String whose(StackTraceElement[] stack, String thread) {
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().startsWith("io.github.relayllm.langchain4j.")) {
                return "relay";
            }
            if (frame.getClassName().startsWith(ChatCompletionsResource.class.getName())) {
                return "endpoint";
            }
            if (frame.getClassName().startsWith(ChatCompletionsLoadBenchmark.class.getName())) {
                return "benchmark client";
            }
        }
        return "thread " + thread.replaceAll("[-#]?\\d+$", "");
    }

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    private record Result(long[] latencies, long wallNanos, long cpuNanos, int failed, Map<String, Long> cpuByThread) {

        /** CPU per request by kind of thread, largest first (the benchmark's own client threads included). */
        String cpuByThreadPerRequest() {
            StringBuilder text = new StringBuilder();
            cpuByThread.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(7)
                    .forEach(e -> text.append(String.format(Locale.ROOT, " %s %.2f", e.getKey(),
                            e.getValue() / 1e6 / latencies.length)));
            return text.toString().strip();
        }

        double throughput() {
            return latencies.length / (wallNanos / 1e9);
        }

        double percentile(int p) {
            long[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
        }
    }

    /** {@code clients} threads each make {@code perClient} calls; a sampler counts monitors blocked on, if asked. */
    private static Result run(ExecutorService pool, int clients, int perClient, Call call,
            Map<String, Integer> blocked) throws Exception {
        long[] latencies = new long[clients * perClient];
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perClient; i++) {
                    long t0 = System.nanoTime();
                    try {
                        call.run();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                    latencies[client * perClient + i] = System.nanoTime() - t0;
                }
                return null;
            }));
        }
        AtomicBoolean running = new AtomicBoolean(true);
        Thread sampler = blocked == null ? null : new Thread(() -> sample(running, blocked), "load-sampler");
        if (sampler != null) {
            sampler.start();
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Map<String, Long> threadCpu0 = cpuByThread();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        start.countDown();
        for (Future<?> future : futures) {
            future.get();
        }
        long wall = System.nanoTime() - t0;
        long cpu = os.getProcessCpuTime() - cpu0;
        Map<String, Long> threadCpu = cpuByThread();
        threadCpu0.forEach((kind, nanos) -> threadCpu.merge(kind, -nanos, Long::sum));
        running.set(false);
        if (sampler != null) {
            sampler.join();
        }
        return new Result(latencies, wall, cpu, failed.get(), threadCpu);
    }

    /** CPU time so far of the live threads, summed by kind (the name without its number). */
    private static Map<String, Long> cpuByThread() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            long nanos = info == null ? -1 : threads.getThreadCpuTime(info.getThreadId());
            if (nanos > 0) {
                cpu.merge(info.getThreadName().replaceAll("[-#]?\\d+", "-N"), nanos, Long::sum);
            }
        }
        return cpu;
    }

    /**
     * Every 5 ms: the monitor class and method each BLOCKED thread waits in, and whose work it was doing: the relay
     * (a frame of {@code io.github.relayllm.langchain4j}), the endpoint, this benchmark's client, or neither (the
     * loopback servers, selector threads).
     */
    private static void sample(AtomicBoolean running, Map<String, Integer> blocked) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        while (running.get()) {
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 64)) {
                if (info == null || info.getThreadState() != Thread.State.BLOCKED) {
                    continue;
                }
                StackTraceElement[] stack = info.getStackTrace();
                String where = stack.length == 0 ? "?" : stack[0].getClassName() + "." + stack[0].getMethodName();
                String lock = info.getLockName() == null ? "?" : info.getLockName().replaceAll("@.*", "");
                blocked.merge(lock + " in " + where + " (" + whose(stack, info.getThreadName()) + ")", 1,
                        Integer::sum);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
