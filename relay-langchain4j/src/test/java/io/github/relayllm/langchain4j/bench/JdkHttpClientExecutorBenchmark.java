package io.github.relayllm.langchain4j.bench;

import com.sun.net.httpserver.HttpServer;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Where the relay's HTTP time went: one loopback POST (a plain JDK {@code HttpServer} answering at once, TCP_NODELAY)
 * through {@code java.net.http.HttpClient}s that differ only in their executor and connect timeout. The relay's
 * backends used a cached thread pool and a connect timeout; they now run the client's steps on the triggering thread
 * ({@code executor(Runnable::run)}). Not a test: a command that prints numbers.
 * <p>
 * Run it with (from the repository root; nothing to install):
 * <pre>
 * mvn -q -pl relay-langchain4j test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.github.relayllm.langchain4j.bench.JdkHttpClientExecutorBenchmark
 * </pre>
 * Argument ({@code -Dexec.args="…"}), optional: {@code iterations=8000} (as many again for warm-up); each iteration
 * makes one call through every client, in rotating order, reading the body whole ({@code ofByteArray}) and as it comes
 * ({@code ofPublisher}, as the relay's backends read it so that a stall or a cancellation can end the call).
 */
public final class JdkHttpClientExecutorBenchmark {

    private static final Object END = new Object();

    private JdkHttpClientExecutorBenchmark() {
    }

    /**
     * Reads the body the way the relay's HttpBodyLines does: the client's thread queues each piece, the caller takes
     * it from the queue and asks for the next one ({@code request(1)}, which the client carries out on its executor).
     */
    private static int readAsItComes(HttpResponse<Flow.Publisher<List<ByteBuffer>>> response) throws Exception {
        BlockingQueue<Object> pieces = new LinkedBlockingQueue<>();
        Flow.Subscription[] subscription = new Flow.Subscription[1];
        response.body().subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription[0] = s;
                s.request(1);
            }

            @Override
            public void onNext(List<ByteBuffer> item) {
                pieces.add(item);
            }

            @Override
            public void onError(Throwable throwable) {
                pieces.add(throwable);
            }

            @Override
            public void onComplete() {
                pieces.add(END);
            }
        });
        for (Object piece = pieces.take(); piece != END; piece = pieces.take()) {
            if (piece instanceof Throwable failure) {
                throw new IllegalStateException(failure);
            }
            subscription[0].request(1);
        }
        return response.statusCode();
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 && args[0].startsWith("iterations=")
                ? Integer.parseInt(args[0].substring("iterations=".length())) : 8000;
        System.setProperty("sun.net.httpserver.nodelay", "true");
        byte[] answer = ("{\"model\":\"m\",\"response\":\" So the answer is 391.\",\"done\":true,"
                + "\"done_reason\":\"stop\",\"eval_count\":7,\"prompt_eval_count\":100}").getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/api/generate", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/generate");
        String body = "{\"model\":\"m\",\"prompt\":\"" + "a prompt of some length, ".repeat(40) + "\",\"raw\":true}";
        ExecutorService pool = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable);
            thread.setDaemon(true);
            return thread;
        });
        Duration connectTimeout = Duration.ofSeconds(10);
        Map<String, HttpClient> clients = new LinkedHashMap<>();
        clients.put("JDK default executor", HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
        clients.put("JDK default executor + connectTimeout", HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).build());
        clients.put("cached pool + connectTimeout (relay before)", HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).executor(pool).build());
        clients.put("Runnable::run + connectTimeout (relay now)", HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(connectTimeout).executor(Runnable::run).build());
        List<String> names = new ArrayList<>();
        for (String name : clients.keySet()) {
            names.add(name + ", whole body");
            names.add(name + ", body as it comes");
        }
        int variants = names.size();
        long[][] nanos = new long[variants][iterations];
        for (int i = -iterations; i < iterations; i++) {
            for (int k = 0; k < variants; k++) {
                int which = Math.floorMod(i + k, variants);
                HttpClient client = clients.get(new ArrayList<>(clients.keySet()).get(which / 2));
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                long start = System.nanoTime();
                int status = which % 2 == 0
                        ? client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode()
                        : readAsItComes(client.send(request, HttpResponse.BodyHandlers.ofPublisher()));
                long elapsed = System.nanoTime() - start;
                if (status != 200) {
                    throw new IllegalStateException("answered " + status);
                }
                if (i >= 0) {
                    nanos[which][i] = elapsed;
                }
            }
        }
        System.out.printf(Locale.ROOT, "one loopback POST, %d calls per client, JDK %s, %d CPUs, load average %.2f%n",
                iterations, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (int k = 0; k < variants; k++) {
            Arrays.sort(nanos[k]);
            System.out.printf(Locale.ROOT, "  %-64s p50 %6.1f µs   p90 %6.1f µs%n", names.get(k),
                    nanos[k][iterations / 2] / 1e3, nanos[k][iterations * 9 / 10] / 1e3);
        }
        server.stop(0);
        System.exit(0);
    }
}
