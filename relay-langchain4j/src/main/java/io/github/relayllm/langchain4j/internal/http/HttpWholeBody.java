package io.github.relayllm.langchain4j.internal.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A body handler that collects a whole (non-streamed) answer on the network thread and notes when bytes last came.
 * The response completes once, with its whole body, so the caller of {@code HttpClient.send} wakes once per call, as
 * with {@code ofString()}; the time of the last byte lets {@link HttpWaitWatch} give up on a server that goes
 * quiet inside the body, which the JDK's own request timeout (it ends at the headers) would not.
 * <p>
 * Why not {@link HttpBodyLines} for whole answers: there the response completes at the headers and the caller then
 * waits again for the body; with the JDK's {@code HttpServer}, llama-server and others writing the headers and the
 * body apart, that was a second thread hand-off in 3 calls out of 4 (measured on {@code RelayOverheadBenchmark}'s
 * plain server), each a wake-up and a context switch that a busy 2-core machine pays in CPU.
 * <p>
 * One handler per attempt. Error bodies are cut after {@code maxErrorBytes} (the connection is then dropped).
 */
final class HttpWholeBody implements HttpResponse.BodyHandler<String> {

    private final int maxErrorBytes;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile boolean answered;

    HttpWholeBody(int maxErrorBytes) {
        this.maxErrorBytes = maxErrorBytes;
    }

    /** {@link System#nanoTime()} when this handler was made (just before the request), or bytes last came. */
    long lastActivityNanos() {
        return lastActivityNanos;
    }

    /** Whether the answer's headers came (a failure after them is not one to retry: the server did the work). */
    boolean answered() {
        return answered;
    }

    @Override
    public HttpResponse.BodySubscriber<String> apply(HttpResponse.ResponseInfo info) {
        answered = true;
        lastActivityNanos = System.nanoTime();
        return new Collector(info.statusCode() / 100 == 2 ? Integer.MAX_VALUE : maxErrorBytes);
    }

    private final class Collector implements HttpResponse.BodySubscriber<String> {

        private final CompletableFuture<String> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final int maxBytes;
        private volatile Flow.Subscription subscription;

        Collector(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            lastActivityNanos = System.nanoTime();
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer buffer : item) {
                HttpBodyLines.drain(buffer, bytes);
            }
            if (bytes.size() >= maxBytes) {
                subscription.cancel();
                body.complete(bytes.toString(StandardCharsets.UTF_8));
            }
        }

        @Override
        public void onError(Throwable throwable) {
            body.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
