package io.github.relayllm.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.github.relayllm.langchain4j.spi.RelayStreamingChatLanguageModelBuilderFactory;

import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The streaming relay: a LangChain4j {@link StreamingChatModel} that runs the same relay as
 * {@link RelayChatLanguageModel} and streams the answer as the student and the teacher write it.
 * <pre>{@code
 * RelayStreamingChatLanguageModel model = RelayStreamingChatLanguageModel.builder()
 *         .student(studentBackend)
 *         .teacher(teacherBackend)
 *         .segmentListener((role, text) -> ui.colour(role, text))
 *         .build();
 * model.chat("17 * 23 = ?", handler);
 * }</pre>
 * What the handler hears:
 * <ul>
 * <li>{@code onPartialResponse} with the answer text as it is written; the student's commands
 * ({@code <call>N</call>}) never reach it, also when a command arrives split across pieces: only the few characters
 * that could still begin a command (or a {@code <think>}/{@code <tool_call>} tag) are held back until the next piece
 * decides;</li>
 * <li>{@code onPartialThinking} with the thinking, when the model writes a {@code <think>…</think>} block
 * ({@link io.github.relayllm.langchain4j.format.PromptFormat#qwen3Thinking()});</li>
 * <li>{@code onCompleteToolCall} once per tool call, then {@code onCompleteResponse} with the final response, whose
 * metadata is a {@link RelayResponseMetadata}; tool-call blocks never reach {@code onPartialResponse};</li>
 * <li>or {@code onError}, once, instead of the completion when a backend fails;</li>
 * <li>{@code onError} with the exception that a handler callback threw (partial, tool call or complete response),
 * as LangChain4j's own streaming models do: the stream goes on after a partial callback's exception.</li>
 * </ul>
 * A request the relay cannot run (a parameter it cannot honour such as {@code stopSequences}, an image in a message)
 * throws {@code UnsupportedFeatureException} or {@code IllegalArgumentException} from {@code chat(...)} itself, before
 * any backend is called.
 * Cancelling through the {@code StreamingHandle} of a partial callback's context stops both backends' generation
 * at their next piece; the handler hears nothing more. A {@link RelaySegmentListener} says which model wrote each
 * piece. {@code chat(...)} returns at once: the relay runs on the builder's executor (default: a shared cached pool
 * of daemon threads), and every callback comes on that thread.
 * <p>
 * Immutable and thread-safe; the model does not own its backends (close them yourself) nor a given executor.
 */
public class RelayStreamingChatLanguageModel implements StreamingChatModel {

    private static final Executor DEFAULT_EXECUTOR = Executors.newCachedThreadPool(new DaemonThreads());

    private final RelaySettings settings;
    private final RelayLoop loop;
    private final Executor executor;
    private final RelaySegmentListener segmentListener;

    public RelayStreamingChatLanguageModel(Builder builder) {
        this.settings = new RelaySettings(builder, "RelayStreamingChatLanguageModel");
        this.loop = new RelayLoop(settings);
        this.executor = builder.executor != null ? builder.executor : DEFAULT_EXECUTOR;
        this.segmentListener = builder.segmentListener;
    }

    @Override
    public void doChat(ChatRequest chatRequest, StreamingChatResponseHandler handler) {
        loop.check(chatRequest); // a request the relay cannot run throws here, before anything runs
        RelayStream stream = new RelayStream(loop, chatRequest, handler, segmentListener);
        try {
            executor.execute(stream);
        } catch (RejectedExecutionException e) {
            stream.fail(e);
        }
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return settings.defaultRequestParameters();
    }

    @Override
    public List<ChatModelListener> listeners() {
        return settings.listeners();
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }

    /**
     * {@code RESPONSE_FORMAT_JSON_SCHEMA}: a JSON response format (with or without a schema) is put into the prompt,
     * the answer is validated against it ({@link RelayResponseFormatException} when it does not match) and, where one
     * completion writes the whole answer on a backend that {@linkplain io.github.relayllm.langchain4j.backend.CompletionBackend#supportsJsonSchema() can},
     * sampling is constrained to it. Tools (rendered into the prompt, parsed from the answer) need no flag.
     */
    @Override
    public Set<Capability> supportedCapabilities() {
        return RelayLoop.capabilities();
    }

    @Override
    public String toString() {
        return "RelayStreamingChatLanguageModel{" + settings + '}';
    }

    /**
     * A new builder: the one a {@link RelayStreamingChatLanguageModelBuilderFactory} found by {@link ServiceLoader}
     * supplies (how integrations such as Quarkus plug in), else a plain {@link Builder}.
     */
    public static Builder builder() {
        for (RelayStreamingChatLanguageModelBuilderFactory factory
                : ServiceLoader.load(RelayStreamingChatLanguageModelBuilderFactory.class)) {
            return factory.get();
        }
        return new Builder();
    }

    /** The settings of {@link RelayBaseBuilder} plus the streaming extras. */
    public static class Builder extends RelayBaseBuilder<RelayStreamingChatLanguageModel, Builder> {

        private Executor executor;
        private RelaySegmentListener segmentListener;

        public Builder() {
        }

        /**
         * Where each request's relay runs (the handler is called on that thread). {@code null} (the default): a
         * shared cached pool of daemon threads named {@code relay-stream-N}. The model never shuts it down.
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /** Hears which model wrote each streamed piece of every request; {@code null} (the default): none. */
        public Builder segmentListener(RelaySegmentListener segmentListener) {
            this.segmentListener = segmentListener;
            return this;
        }

        @Override
        public RelayStreamingChatLanguageModel build() {
            return new RelayStreamingChatLanguageModel(this);
        }
    }

    private static final class DaemonThreads implements ThreadFactory {

        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable runnable) {
            Thread thread = new Thread(runnable, "relay-stream-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    }
}
