package io.github.relayllm.langchain4j;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Records every callback of a streaming request, with the roles a {@link RelaySegmentListener} hears. */
class RecordingStreamingHandler implements StreamingChatResponseHandler, RelaySegmentListener {

    final List<String> partials = new ArrayList<>();
    final List<String> thinking = new ArrayList<>();
    final List<String> segments = new ArrayList<>(); // "S:text" / "T:text"
    final List<String> teacherCalls = new ArrayList<>();
    final List<CompleteToolCall> toolCalls = new ArrayList<>();
    final List<ChatResponse> completions = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();
    final List<String> threads = new ArrayList<>();
    private final CountDownLatch done = new CountDownLatch(1);
    private final CountDownLatch completed = new CountDownLatch(1);
    private Consumer<StreamingHandle> onPartial = handle -> {
    };

    /** Runs on every partial response with the request's streaming handle (e.g. to cancel). */
    RecordingStreamingHandler onPartial(Consumer<StreamingHandle> onPartial) {
        this.onPartial = onPartial;
        return this;
    }

    @Override
    public synchronized void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
        partials.add(partialResponse.text());
        threads.add(Thread.currentThread().getName());
        onPartial.accept(context.streamingHandle());
    }

    @Override
    public synchronized void onPartialThinking(PartialThinking partialThinking) {
        thinking.add(partialThinking.text());
    }

    @Override
    public synchronized void onCompleteToolCall(CompleteToolCall completeToolCall) {
        toolCalls.add(completeToolCall);
    }

    @Override
    public synchronized void onCompleteResponse(ChatResponse response) {
        completions.add(response);
        done.countDown();
        completed.countDown();
    }

    @Override
    public synchronized void onError(Throwable error) {
        errors.add(error);
        done.countDown();
    }

    @Override
    public synchronized void onPartialSegment(RelayRole role, String text) {
        segments.add(role.name().charAt(0) + ":" + text);
    }

    @Override
    public synchronized void onTeacherCall(int round, int callTokens) {
        teacherCalls.add(round + ":" + callTokens);
    }

    /** Waits for onCompleteResponse or onError. */
    RecordingStreamingHandler await() {
        try {
            if (!done.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the stream did not end within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return this;
    }

    /** Waits for onCompleteResponse (errors a handler callback threw may come before it). */
    RecordingStreamingHandler awaitCompletion() {
        try {
            if (!completed.await(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the stream did not complete within 10 s; errors: " + errors);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return this;
    }

    /** Waits a little for callbacks that must not come (after a cancellation). */
    boolean endsWithin(Duration duration) throws InterruptedException {
        return done.await(duration.toMillis(), TimeUnit.MILLISECONDS);
    }

    synchronized String text() {
        return String.join("", partials);
    }

    synchronized String text(RelayRole role) {
        StringBuilder text = new StringBuilder();
        String prefix = role.name().charAt(0) + ":";
        for (String segment : segments) {
            if (segment.startsWith(prefix)) {
                text.append(segment.substring(2));
            }
        }
        return text.toString();
    }
}
