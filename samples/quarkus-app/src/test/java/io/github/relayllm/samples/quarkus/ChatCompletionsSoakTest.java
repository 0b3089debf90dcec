package io.github.relayllm.samples.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The soak: requests through {@code POST /v1/chat/completions}, plain and streaming mixed at random, 32 at a time,
 * to a relay whose teacher fails 10% of its calls at random in every way {@link LoopbackModelServers} knows. With the
 * default {@code teacher-failure=continue-with-student} every request must answer (the failed round in its
 * statistics); with {@code -Drelay.loopback.teacherFailure=fail} each must answer or get the clear error that policy
 * gives (an HTTP 502 or an SSE error event naming the teacher backend and what it answered). Afterwards no thread
 * may still be working on a request, and live threads and open sockets must be back to where they were after a
 * warm-up at the same concurrency.
 * <p>
 * The build runs 100 requests. The soak command (1,000 requests; it also checks the heap after a full GC):
 * <pre>
 * mvn -B -pl samples/quarkus-app -am verify -DskipITs -Dtest=ChatCompletionsSoakTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Drelay.soak.requests=1000 [-Drelay.loopback.teacherFailure=fail]
 * </pre>
 * Tolerances: after the soak the counts are polled until they are back (up to 90 s: the relay's and Quarkus' pools
 * keep idle threads 30-60 s). Threads may end {@value #THREAD_TOLERANCE} above the warm-up's count and sockets
 * {@value #SOCKET_TOLERANCE} above it: pools grow on demand, so a soak can leave a few more idle threads or pooled
 * keep-alive connections than the warm-up did, but never one per request or per failure (10 for 100 requests).
 */
@QuarkusTest
@TestProfile(LoopbackModelsProfile.class)
class ChatCompletionsSoakTest {

    static final int THREAD_TOLERANCE = 6;
    static final int SOCKET_TOLERANCE = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/v1/chat/completions")
    URI endpoint;

    @ConfigProperty(name = "quarkus.langchain4j.relay.student.base-url")
    String serversUrl;

    @Test
    void should_answer_every_request_and_leave_no_thread_or_connection_behind() throws Exception {
        // given
        int requests = Integer.getInteger("relay.soak.requests", 100);
        int concurrency = Integer.getInteger("relay.soak.concurrency", 32);
        boolean failPolicy = "fail".equals(System.getProperty("relay.loopback.teacherFailure"));
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(2)).build();
        run(http, clients, Math.max(2 * concurrency, 64));
        Resources before = Resources.settled();

        // when
        long start = System.nanoTime();
        Outcomes outcomes = run(http, clients, requests);
        double seconds = (System.nanoTime() - start) / 1e9;
        Resources after = Resources.awaitBackTo(before, Duration.ofSeconds(90));

        // then
        String stats = http.send(HttpRequest.newBuilder(URI.create(serversUrl + "/stats")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        System.out.printf("soak: %d requests (%d plain, %d streaming), %d at a time, in %.1f s (%.0f/s); answered %d, "
                + "clear errors %d, lost %d; answers with a failed teacher round %d; servers %s%n"
                + "soak: threads %d -> %d, sockets %d -> %d, heap after full GC %.1f MB -> %.1f MB (%+.1f%%), "
                + "threads still in the relay or the endpoint: %s%n",
                requests, outcomes.plain, outcomes.streaming, concurrency, seconds, requests / seconds,
                outcomes.answered, outcomes.clearErrors, outcomes.lost.size(), outcomes.failedRounds, stats,
                before.threads, after.threads, before.sockets, after.sockets, before.heapMb(), after.heapMb(),
                100.0 * (after.heapBytes - before.heapBytes) / before.heapBytes, after.busy);
        clients.shutdownNow();
        assertThat(outcomes.lost).as("requests without an answer or a clear error").isEmpty();
        if (failPolicy) {
            assertThat(outcomes.clearErrors).as("requests failed by a teacher failure").isPositive();
            assertThat(outcomes.answered + outcomes.clearErrors).isEqualTo(requests);
        } else {
            assertThat(outcomes.answered).isEqualTo(requests); // continue-with-student: every request answers
            assertThat(outcomes.failedRounds).as("answers that record a failed teacher round").isPositive();
        }
        assertThat(after.busy).as("threads still in the relay or the endpoint").isEmpty();
        assertThat(after.threads).isLessThanOrEqualTo(before.threads + THREAD_TOLERANCE);
        if (before.sockets >= 0) {
            assertThat(after.sockets).isLessThanOrEqualTo(before.sockets + SOCKET_TOLERANCE);
        }
        if (requests >= 1000) {
            assertThat((double) after.heapBytes).isLessThanOrEqualTo(before.heapBytes * 1.10);
        }
    }

    private Outcomes run(HttpClient http, ExecutorService clients, int requests) throws Exception {
        List<Future<String>> results = new ArrayList<>();
        Outcomes outcomes = new Outcomes();
        for (int i = 0; i < requests; i++) {
            boolean stream = ThreadLocalRandom.current().nextBoolean();
            if (stream) {
                outcomes.streaming++;
            } else {
                outcomes.plain++;
            }
            String body = "{\"model\":\"relay\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\","
                    + "\"content\":\"What is 6 times 7? (request " + i + ")\"}]}";
            results.add(clients.submit(() -> ask(http, body, stream)));
        }
        for (Future<String> result : results) {
            String outcome = result.get();
            switch (outcome) {
                case "answered" -> outcomes.answered++;
                case "answered-failed-round" -> {
                    outcomes.answered++;
                    outcomes.failedRounds++;
                }
                case "clear-error" -> outcomes.clearErrors++;
                default -> outcomes.lost.add(outcome);
            }
        }
        return outcomes;
    }

    /** "answered", "answered-failed-round", "clear-error", or what went wrong. */
    private String ask(HttpClient http, String body, boolean stream) {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 502 && JSON.readTree(response.body()).path("error").path("message")
                    .asText("").contains("teacher backend 'openai(")) {
                return "clear-error"; // teacher-failure=fail: the mapper's error names the backend and its failure
            }
            if (response.statusCode() != 200) {
                return "HTTP " + response.statusCode() + ": " + response.body();
            }
            return stream ? streamed(response.body()) : answered(JSON.readTree(response.body()));
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static String answered(JsonNode completion) {
        String text = completion.path("choices").path(0).path("message").path("content").asText("");
        JsonNode relay = completion.path("relay");
        if (text.isEmpty() || relay.isMissingNode()) {
            return "no answer: " + completion;
        }
        return relay.path("failedRounds").asInt() > 0 ? "answered-failed-round" : "answered";
    }

    private static String streamed(String events) throws Exception {
        if (!events.endsWith("data: [DONE]\n\n")) {
            return "stream without [DONE]: " + events;
        }
        StringBuilder text = new StringBuilder();
        JsonNode last = null;
        for (String event : events.split("\n\n")) {
            String data = event.substring("data: ".length());
            if (data.equals("[DONE]")) {
                break;
            }
            last = JSON.readTree(data);
            if (last.has("error")) {
                return last.path("error").path("message").asText("").contains("teacher backend 'openai(")
                        ? "clear-error" : "unclear error: " + data;
            }
            text.append(last.path("choices").path(0).path("delta").path("content").asText(""));
        }
        if (last == null || text.isEmpty() || last.path("choices").path(0).path("finish_reason").isMissingNode()) {
            return "stream without an answer: " + events;
        }
        return last.path("relay").path("failedRounds").asInt() > 0 ? "answered-failed-round" : "answered";
    }

    private static final class Outcomes {
        int plain;
        int streaming;
        int answered;
        int failedRounds;
        int clearErrors;
        final List<String> lost = new ArrayList<>();
    }

    /** Live threads, open sockets (Linux: -1 elsewhere), heap after a full GC, threads busy with a request. */
    record Resources(int threads, int sockets, long heapBytes, List<String> busy) {

        static Resources settled() throws InterruptedException {
            Thread.sleep(2000);
            return now();
        }

        static Resources awaitBackTo(Resources before, Duration limit) throws InterruptedException {
            long end = System.nanoTime() + limit.toNanos();
            Resources now = settled();
            while (System.nanoTime() < end && (!now.busy.isEmpty()
                    || now.threads > before.threads + THREAD_TOLERANCE
                    || now.sockets > before.sockets + SOCKET_TOLERANCE)) {
                Thread.sleep(1000);
                now = now();
            }
            return now;
        }

        static Resources now() throws InterruptedException {
            System.gc();
            Thread.sleep(200);
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            return new Resources(ManagementFactory.getThreadMXBean().getThreadCount(), countSockets(), heap,
                    busyThreads());
        }

        double heapMb() {
            return heapBytes / 1e6;
        }

        private static int countSockets() {
            java.io.File[] fds = new java.io.File("/proc/self/fd").listFiles();
            if (fds == null) {
                return -1;
            }
            int sockets = 0;
            for (java.io.File fd : fds) {
                try {
                    if (java.nio.file.Files.readSymbolicLink(fd.toPath()).toString().startsWith("socket:")) {
                        sockets++;
                    }
                } catch (java.io.IOException e) {
                    // closed while listing
                }
            }
            return sockets;
        }

        /** The HTTP backends' shared cancellation watch waiting for work: no request (it ends after a while). */
        private static boolean idleCancelWatch(StackTraceElement[] stack) {
            for (StackTraceElement frame : stack) {
                if (frame.getClassName().endsWith(".internal.http.HttpWaitWatch")
                        && frame.getMethodName().equals("idle")) {
                    return true;
                }
            }
            return false;
        }

        /** Threads with a frame in the relay or the endpoint: a request still being worked on. */
        private static List<String> busyThreads() {
            List<String> busy = new ArrayList<>();
            for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
                if (info.getThreadId() == Thread.currentThread().getId() || idleCancelWatch(info.getStackTrace())) {
                    continue;
                }
                for (StackTraceElement frame : info.getStackTrace()) {
                    String type = frame.getClassName();
                    if (type.startsWith("io.github.relayllm.langchain4j.")
                            || type.startsWith(ChatCompletionsResource.class.getName())) {
                        busy.add(info.getThreadName() + " in " + frame);
                        break;
                    }
                }
            }
            return busy;
        }
    }
}
