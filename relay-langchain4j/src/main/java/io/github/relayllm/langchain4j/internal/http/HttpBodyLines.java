package io.github.relayllm.langchain4j.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A response body read line by line on the caller's thread, with an idle timeout and cancellation.
 * <p>
 * Why not {@code BodyHandlers.ofInputStream()}: its {@code read()} blocks with no timeout once the headers have
 * arrived, so a server that stalls mid-stream would hang the caller forever, and a cancelled caller could not
 * leave. Here the network thread only queues the chunks; the caller polls the queue in short slices, checks its
 * cancellation flag in between, and gives up when no byte arrived within the idle timeout. Closing cancels the
 * subscription, which makes the HTTP client drop the connection (servers then stop generating).
 * <p>
 * Lines split on {@code \n} bytes (a byte that never occurs inside a multi-byte UTF-8 character), so a character
 * split across two chunks decodes correctly; a trailing {@code \r} is dropped.
 */
public final class HttpBodyLines implements Flow.Subscriber<List<ByteBuffer>>, AutoCloseable {

    /** Thrown when no byte arrived within the idle timeout. */
    public static final class IdleTimeoutException extends IOException {
        IdleTimeoutException(String message) {
            super(message);
        }
    }

    private static final Object END = new Object();
    private static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final BlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
    private final long idleTimeoutNanos;
    private volatile Flow.Subscription subscription;
    private volatile boolean closed;

    private Iterator<ByteBuffer> buffers = List.<ByteBuffer>of().iterator();
    private ByteBuffer buffer;
    private byte[] line = new byte[256];
    private boolean ended;

    public HttpBodyLines(long idleTimeoutNanos) {
        this.idleTimeoutNanos = idleTimeoutNanos;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (closed) {
            subscription.cancel();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
        chunks.add(item);
    }

    @Override
    public void onError(Throwable throwable) {
        chunks.add(throwable);
    }

    @Override
    public void onComplete() {
        chunks.add(END);
    }

    /**
     * The next line without its line break, or {@code null} at the end of the body.
     *
     * @param cancelled polled while waiting; when it turns true the body is closed and
     *                  {@link CancellationException} thrown
     */
    public String readLine(BooleanSupplier cancelled) throws IOException {
        int length = 0;
        while (true) {
            if (buffer != null && buffer.hasRemaining()) {
                while (buffer.hasRemaining()) {
                    byte b = buffer.get();
                    if (b == '\n') {
                        return decode(length);
                    }
                    if (length == line.length) {
                        line = Arrays.copyOf(line, length * 2);
                    }
                    line[length++] = b;
                }
            } else if (buffers.hasNext()) {
                buffer = buffers.next();
            } else if (ended) {
                return length > 0 ? decode(length) : null;
            } else {
                nextChunk(cancelled);
            }
        }
    }

    /** The rest of the body as one string, cut after about {@code maxBytes} bytes (the connection is then dropped). */
    public String readAll(int maxBytes, BooleanSupplier cancelled) throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        while (all.size() < maxBytes) {
            if (buffer != null && buffer.hasRemaining()) {
                drain(buffer, all);
            } else if (buffers.hasNext()) {
                buffer = buffers.next();
            } else if (ended) {
                break;
            } else {
                nextChunk(cancelled);
            }
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    /** Appends what is left of {@code buffer} to {@code out}, leaving the buffer empty. */
    static void drain(ByteBuffer buffer, java.io.ByteArrayOutputStream out) {
        int length = buffer.remaining();
        if (buffer.hasArray()) {
            out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), length);
            buffer.position(buffer.limit());
        } else {
            byte[] bytes = new byte[length];
            buffer.get(bytes);
            out.write(bytes, 0, length);
        }
    }

    /**
     * Reads what is left after the last meaningful line so the connection can go back to the pool; when the end does
     * not come at once (a server keeping the stream open) the body is closed instead, which drops the connection.
     */
    public void finish(long graceNanos) {
        long waitStart = System.nanoTime();
        try {
            while (!ended && System.nanoTime() - waitStart < graceNanos) {
                buffer = null;
                buffers = List.<ByteBuffer>of().iterator();
                Object next = chunks.poll(SLICE_NANOS, TimeUnit.NANOSECONDS);
                if (next != null) {
                    accept(next);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // the answer is complete; a failure while draining only means the connection is not reused
        }
        close();
    }

    private void nextChunk(BooleanSupplier cancelled) throws IOException {
        long waitStart = System.nanoTime();
        while (true) {
            if (cancelled.getAsBoolean()) {
                close();
                throw new CancellationException("cancelled by the caller");
            }
            long waited = System.nanoTime() - waitStart;
            if (waited >= idleTimeoutNanos) {
                close();
                throw new IdleTimeoutException("no data for " + TimeUnit.NANOSECONDS.toMillis(waited) + " ms");
            }
            Object next;
            try {
                next = chunks.poll(Math.min(SLICE_NANOS, idleTimeoutNanos - waited), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new CancellationException("interrupted while reading the answer");
            }
            if (next != null) {
                accept(next);
                return;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void accept(Object next) throws IOException {
        if (next == END) {
            ended = true;
        } else if (next instanceof Throwable failure) {
            ended = true;
            throw failure instanceof IOException io ? io : new IOException(failure.getMessage(), failure);
        } else {
            buffers = ((List<ByteBuffer>) next).iterator();
            Flow.Subscription current = subscription;
            if (current != null && !closed) {
                current.request(1);
            }
        }
    }

    private String decode(int length) {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        return new String(line, 0, end, StandardCharsets.UTF_8);
    }

    /** Stops reading; when the body was not read to its end the connection is dropped. */
    @Override
    public void close() {
        closed = true;
        Flow.Subscription current = subscription;
        if (current != null && !ended) {
            current.cancel();
        }
    }
}
