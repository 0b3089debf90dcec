package io.github.relayllm.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.relayllm.langchain4j.spi.RelayChatLanguageModelBuilderFactory;

import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * A LangChain4j {@link ChatModel} that answers with two models relaying on one text: a small student drives
 * generation and, when it writes {@code <call>N</call>}, a large teacher writes the next N tokens; then the student
 * goes on. Both models continue the raw prompt rendered by a {@link io.github.relayllm.langchain4j.format.PromptFormat} through {@link io.github.relayllm.langchain4j.backend.CompletionBackend}s.
 * <pre>{@code
 * RelayChatLanguageModel model = RelayChatLanguageModel.builder()
 *         .student(studentBackend)
 *         .teacher(teacherBackend)
 *         .build();
 * ChatResponse response = model.chat(ChatRequest.builder().messages(UserMessage.from("17 * 23 = ?")).build());
 * RelayResponseMetadata relay = (RelayResponseMetadata) response.metadata();
 * }</pre>
 * Immutable and thread-safe: requests share no mutable state, so one model serves any number of threads (each
 * backend documents its own concurrency). The model does not own its backends: close them yourself.
 */
public class RelayChatLanguageModel implements ChatModel {

    private final RelaySettings settings;
    private final RelayLoop loop;

    public RelayChatLanguageModel(Builder builder) {
        this.settings = new RelaySettings(builder, "RelayChatLanguageModel");
        this.loop = new RelayLoop(settings);
    }

    @Override
    public ChatResponse doChat(ChatRequest chatRequest) {
        return loop.run(chatRequest, RelayEvents.NONE);
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
        return "RelayChatLanguageModel{" + settings + '}';
    }

    /**
     * A new builder: the one a {@link RelayChatLanguageModelBuilderFactory} found by {@link ServiceLoader}
     * supplies (how integrations such as Quarkus plug in), else a plain {@link Builder}.
     */
    public static Builder builder() {
        for (RelayChatLanguageModelBuilderFactory factory
                : ServiceLoader.load(RelayChatLanguageModelBuilderFactory.class)) {
            return factory.get();
        }
        return new Builder();
    }

    public static class Builder extends RelayBaseBuilder<RelayChatLanguageModel, Builder> {

        public Builder() {
        }

        @Override
        public RelayChatLanguageModel build() {
            return new RelayChatLanguageModel(this);
        }
    }
}
