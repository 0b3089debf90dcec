package io.github.relayllm.langchain4j.internal.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A whole (non-streamed) answer, collected on the network thread as it comes and read by the caller in one piece,
 * with an idle timeout.
 * <p>
 * Why not {@link HttpBodyLines} for whole answers: there the caller takes each piece of the body from a queue and
 * asks for the next, so a short answer costs it several waits for the network thread; here the network thread reads
 * the whole body on its own, and a body that came with its headers (the usual case for a short JSON answer) is
 * complete by the time the caller looks. Why not {@code ofByteArray()}: the JDK's request timeout stops at the
 * headers, so a server that stalls inside the body would hang the caller; {@link #text} times the gaps itself.
 * <p>
 * The response's body is this object, handed over once the headers are in; {@link #text} then waits for the rest.
 * Error bodies are cut after {@code maxErrorBytes} (the connection is then dropped).
 */
final class HttpWholeBody implements HttpResponse.BodySubscriber<HttpWholeBody> {

    /** A handler making one {@link HttpWholeBody} per response. */
    static HttpResponse.BodyHandler<HttpWholeBody> handler(int maxErrorBytes) {
        return info -> new HttpWholeBody(info.statusCode() / 100 == 2 ? Integer.MAX_VALUE : maxErrorBytes);
    }

    private final CompletableFuture<HttpWholeBody> headers = new CompletableFuture<>();
    private final CompletableFuture<String> text = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final int maxBytes;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile Flow.Subscription subscription;

    private HttpWholeBody(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    @Override
    public CompletionStage<HttpWholeBody> getBody() {
        return headers;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        subscription.request(Long.MAX_VALUE);
        headers.complete(this);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        lastActivityNanos = System.nanoTime();
        if (text.isDone()) {
            return;
        }
        for (ByteBuffer buffer : item) {
            int length = buffer.remaining();
            if (buffer.hasArray()) {
                bytes.write(buffer.array(), buffer.arrayOffset() + buffer.position(), length);
                buffer.position(buffer.limit());
            } else {
                byte[] copy = new byte[length];
                buffer.get(copy);
                bytes.write(copy, 0, length);
            }
        }
        if (bytes.size() >= maxBytes) {
            subscription.cancel();
            text.complete(bytes.toString(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void onError(Throwable throwable) {
        headers.completeExceptionally(throwable);
        text.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        text.complete(bytes.toString(StandardCharsets.UTF_8));
    }

    /**
     * The whole body, waiting while bytes keep coming; when none came for {@code idleTimeoutNanos} the connection is
     * dropped and {@link HttpBodyLines.IdleTimeoutException} thrown.
     */
    String text(long idleTimeoutNanos) throws IOException {
        while (true) {
            long left = lastActivityNanos + idleTimeoutNanos - System.nanoTime();
            if (left <= 0 && !text.isDone()) {
                close();
                throw new HttpBodyLines.IdleTimeoutException("no data for "
                        + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastActivityNanos) + " ms");
            }
            try {
                return text.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
            } catch (TimeoutException notYet) {
                // bytes may have come meanwhile: look at the time of the last one again
            } catch (InterruptedException e) {
                close();
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while reading the answer");
            } catch (ExecutionException e) {
                Throwable failure = e.getCause();
                throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
            }
        }
    }

    /** Stops reading; when the body was not read to its end the connection is dropped. */
    private void close() {
        Flow.Subscription current = subscription;
        if (current != null && !text.isDone()) {
            current.cancel();
        }
    }
}
