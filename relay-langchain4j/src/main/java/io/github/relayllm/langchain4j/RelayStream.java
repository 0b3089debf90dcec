package io.github.relayllm.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import io.github.relayllm.langchain4j.internal.StreamingAnswerSplitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CancellationException;

/**
 * One streaming relay request: runs the relay loop on the calling thread and turns its events into the handler's
 * callbacks. The rules the streaming model promises live here:
 * <ul>
 * <li>partial text and thinking flow as the models write them, commands never among them (the loop's
 * {@link VisibleTextFilter} removes them, {@link StreamingAnswerSplitter} splits thinking and tool calls off);</li>
 * <li>the request ends with {@code onCompleteResponse} (after one {@code onCompleteToolCall} per tool call of the
 * final message) or, when the relay fails, {@code onError} — or with neither after {@link #cancel()}: a cancelled
 * stream hears nothing more, and both backends stop generating at their next piece;</li>
 * <li>an exception thrown by a handler callback (or the segment listener) goes to {@code onError(thatException)}
 * and the stream goes on, as in LangChain4j's own streaming models (LangChain4j's
 * {@code AbstractStreamingChatModelIT} checks it); one thrown by {@code onError} is logged.</li>
 * </ul>
 */
final class RelayStream implements RelayEvents, StreamingHandle, StreamingAnswerSplitter.Sink<RelayRole>, Runnable {

    private static final Logger log = LoggerFactory.getLogger(RelayStream.class);

    private final RelayLoop loop;
    private final ChatRequest request;
    private final StreamingChatResponseHandler handler;
    private final List<RelaySegmentListener> segmentListeners;
    private final StreamingAnswerSplitter<RelayRole> splitter;
    private volatile boolean cancelled;

    RelayStream(RelayLoop loop, ChatRequest request, StreamingChatResponseHandler handler,
                RelaySegmentListener segmentListener) {
        this.loop = loop;
        this.request = request;
        this.handler = handler;
        this.segmentListeners = segmentListener == null ? List.of() : List.of(segmentListener);
        List<ToolSpecification> tools = request.parameters().toolSpecifications();
        this.splitter = new StreamingAnswerSplitter<>(this, tools != null && !tools.isEmpty()
                && request.parameters().toolChoice() != ToolChoice.NONE);
    }

    @Override
    public void run() {
        ChatResponse response;
        try {
            response = loop.run(request, this);
            splitter.finish();
        } catch (CancellationException e) {
            return;
        } catch (RuntimeException | Error e) {
            if (!cancelled) {
                error(e);
            }
            return;
        }
        if (cancelled) {
            return;
        }
        List<ToolExecutionRequest> calls = response.aiMessage().toolExecutionRequests();
        for (int i = 0; i < calls.size(); i++) {
            CompleteToolCall call = new CompleteToolCall(i, calls.get(i));
            deliver(() -> handler.onCompleteToolCall(call));
        }
        try {
            handler.onCompleteResponse(response);
        } catch (RuntimeException e) {
            error(e);
        }
    }

    /** Ends a request that never reached the loop (e.g. the executor refused it). */
    void fail(Throwable e) {
        error(e);
    }

    private void error(Throwable e) {
        try {
            handler.onError(e);
        } catch (RuntimeException thrown) {
            log.warn("the StreamingChatResponseHandler's onError threw while handling: {}", e.toString(), thrown);
        }
    }

    // ---- StreamingHandle ----

    @Override
    public void cancel() {
        cancelled = true;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    // ---- RelayEvents ----

    @Override
    public boolean streaming() {
        return true;
    }

    @Override
    public void onStudentText(String text) {
        splitter.accept(RelayRole.STUDENT, text);
    }

    @Override
    public void onTeacherText(String text) {
        splitter.accept(RelayRole.TEACHER, text);
    }

    @Override
    public void onRoundStart(int round, int callTokens) {
        for (RelaySegmentListener listener : segmentListeners) {
            deliver(() -> listener.onTeacherCall(round, callTokens));
        }
    }

    @Override
    public void onRoundEnd(int round, boolean failed) {
        for (RelaySegmentListener listener : segmentListeners) {
            deliver(() -> listener.onTeacherCallEnd(round, failed));
        }
    }

    // ---- StreamingAnswerSplitter.Sink ----

    @Override
    public void onThinking(RelayRole role, String text) {
        for (RelaySegmentListener listener : segmentListeners) {
            deliver(() -> listener.onPartialThinking(role, text));
        }
        deliver(() -> handler.onPartialThinking(new PartialThinking(text), new PartialThinkingContext(this)));
    }

    @Override
    public void onText(RelayRole role, String text) {
        for (RelaySegmentListener listener : segmentListeners) {
            deliver(() -> listener.onPartialSegment(role, text));
        }
        deliver(() -> handler.onPartialResponse(new PartialResponse(text), new PartialResponseContext(this)));
    }

    /** Calls back unless cancelled; what a callback throws goes to {@code onError}, and the stream goes on. */
    private void deliver(Runnable callback) {
        if (cancelled) {
            return;
        }
        try {
            callback.run();
        } catch (RuntimeException e) {
            error(e);
        }
    }
}
