package io.github.relayllm.langchain4j;

import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.backend.StreamingCompletionHandler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * A test backend: answers queued completions (or computes them from the request) and records every request it got.
 * Streaming hands the text over in pieces of {@code pieceLength} characters. Thread-safe.
 */
final class ScriptedCompletionBackend implements CompletionBackend {

    private final String name;
    private final Deque<Object> script = new ArrayDeque<>();
    private final List<CompletionRequest> requests = new ArrayList<>();
    private Function<CompletionRequest, Completion> answerer;
    private int pieceLength = 3;
    private int streamingCalls;

    ScriptedCompletionBackend(String name) {
        this.name = name;
    }

    /** Queues an answer. */
    synchronized ScriptedCompletionBackend then(Completion completion) {
        script.add(completion);
        return this;
    }

    /** Queues a failure. */
    synchronized ScriptedCompletionBackend thenFail(RuntimeException failure) {
        script.add(failure);
        return this;
    }

    /** Answers every request not covered by the queue with this function. */
    synchronized ScriptedCompletionBackend answering(Function<CompletionRequest, Completion> answerer) {
        this.answerer = answerer;
        return this;
    }

    synchronized ScriptedCompletionBackend pieceLength(int pieceLength) {
        this.pieceLength = pieceLength;
        return this;
    }

    synchronized List<CompletionRequest> requests() {
        return List.copyOf(requests);
    }

    synchronized CompletionRequest request(int index) {
        return requests.get(index);
    }

    @Override
    public Completion complete(CompletionRequest request) {
        Object next;
        Function<CompletionRequest, Completion> function;
        synchronized (this) {
            requests.add(request);
            next = script.poll();
            function = answerer;
        }
        if (next == null) {
            if (function == null) {
                throw new IllegalStateException(name + ": no scripted answer left for " + request);
            }
            return function.apply(request);
        }
        if (next instanceof RuntimeException failure) {
            throw failure;
        }
        return (Completion) next;
    }

    synchronized int streamingCalls() {
        return streamingCalls;
    }

    @Override
    public Completion completeStreaming(CompletionRequest request, StreamingCompletionHandler handler) {
        synchronized (this) {
            streamingCalls++;
        }
        Completion completion = complete(request);
        String text = completion.text();
        for (int i = 0; i < text.length(); i += pieceLength) {
            if (handler.isCancelled()) {
                throw new CancellationException("cancelled");
            }
            handler.onPartialText(text.substring(i, Math.min(text.length(), i + pieceLength)));
        }
        return completion;
    }

    @Override
    public String name() {
        return "scripted(" + name + ")";
    }

    @Override
    public String modelName() {
        return name;
    }

    // ---- completions ----

    static Completion eos(String text, int tokens) {
        return completion(text, tokens, Completion.FinishReason.EOS);
    }

    static Completion length(String text, int tokens) {
        return completion(text, tokens, Completion.FinishReason.LENGTH);
    }

    /** A student completion that stopped on {@code </call>} (the text must end with it). */
    static Completion call(String text, int tokens) {
        return Completion.builder().text(text).generatedTokens(tokens).promptTokens(10)
                .finishReason(Completion.FinishReason.STOP).stopString("</call>").build();
    }

    static Completion completion(String text, int tokens, Completion.FinishReason finishReason) {
        return Completion.builder().text(text).generatedTokens(tokens).promptTokens(10).finishReason(finishReason)
                .build();
    }
}
