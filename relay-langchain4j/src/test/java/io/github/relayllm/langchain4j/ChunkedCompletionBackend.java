package io.github.relayllm.langchain4j;

import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.StreamingCompletionHandler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * A test backend for streaming: answers queued completions and streams each text in pieces, either split at random
 * points (a seeded {@link Random}) or as explicitly queued pieces. Polls {@code isCancelled()} before every piece,
 * like the real backends, and counts the calls it stopped that way. Thread-safe.
 */
final class ChunkedCompletionBackend implements CompletionBackend {

    private final String name;
    private final Random random;
    private final Deque<Object> script = new ArrayDeque<>();
    private final List<CompletionRequest> requests = new ArrayList<>();
    private Consumer<String> beforePiece = piece -> {
    };
    private int cancelledCalls;

    /** Streams in random pieces of 1 to 8 characters drawn from {@code random}; {@code null}: one piece. */
    ChunkedCompletionBackend(String name, Random random) {
        this.name = name;
        this.random = random;
    }

    synchronized ChunkedCompletionBackend then(Completion completion) {
        script.add(completion);
        return this;
    }

    /** Queues a completion streamed exactly as these pieces (their concatenation is the text). */
    synchronized ChunkedCompletionBackend then(Completion completion, List<String> pieces) {
        script.add(new Object[] {completion, List.copyOf(pieces)});
        return this;
    }

    synchronized ChunkedCompletionBackend thenFail(RuntimeException failure) {
        script.add(failure);
        return this;
    }

    /** Runs before every streamed piece is handed over (e.g. to block, or to look at what the handler has). */
    synchronized ChunkedCompletionBackend beforePiece(Consumer<String> beforePiece) {
        this.beforePiece = beforePiece;
        return this;
    }

    synchronized List<CompletionRequest> requests() {
        return List.copyOf(requests);
    }

    synchronized int cancelledCalls() {
        return cancelledCalls;
    }

    private synchronized Object next(CompletionRequest request) {
        requests.add(request);
        Object next = script.poll();
        if (next == null) {
            throw new IllegalStateException(name + ": no scripted answer left for " + request);
        }
        if (next instanceof RuntimeException failure) {
            throw failure;
        }
        return next;
    }

    @Override
    public Completion complete(CompletionRequest request) {
        Object next = next(request);
        return next instanceof Completion completion ? completion : (Completion) ((Object[]) next)[0];
    }

    @Override
    @SuppressWarnings("unchecked")
    public Completion completeStreaming(CompletionRequest request, StreamingCompletionHandler handler) {
        Object next = next(request);
        Completion completion;
        List<String> pieces;
        if (next instanceof Completion c) {
            completion = c;
            pieces = split(c.text());
        } else {
            completion = (Completion) ((Object[]) next)[0];
            pieces = (List<String>) ((Object[]) next)[1];
        }
        Consumer<String> hook;
        synchronized (this) {
            hook = beforePiece;
        }
        for (String piece : pieces) {
            hook.accept(piece);
            if (handler.isCancelled()) {
                synchronized (this) {
                    cancelledCalls++;
                }
                throw new CancellationException(name + " cancelled");
            }
            handler.onPartialText(piece);
        }
        return completion;
    }

    private synchronized List<String> split(String text) {
        List<String> pieces = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int length = random == null ? text.length() : 1 + random.nextInt(8);
            int end = Math.min(text.length(), at + length);
            pieces.add(text.substring(at, end));
            at = end;
        }
        return pieces;
    }

    @Override
    public String name() {
        return "chunked(" + name + ")";
    }

    @Override
    public String modelName() {
        return name;
    }

    static Completion eos(String text, int tokens) {
        return Completion.builder().text(text).generatedTokens(tokens).promptTokens(10)
                .finishReason(Completion.FinishReason.EOS).build();
    }

    static Completion length(String text, int tokens) {
        return Completion.builder().text(text).generatedTokens(tokens).promptTokens(10)
                .finishReason(Completion.FinishReason.LENGTH).build();
    }

    /** A student completion that stopped on {@code </call>} (the text must end with it). */
    static Completion call(String text, int tokens) {
        return Completion.builder().text(text).generatedTokens(tokens).promptTokens(10)
                .finishReason(Completion.FinishReason.STOP).stopString("</call>").build();
    }
}
