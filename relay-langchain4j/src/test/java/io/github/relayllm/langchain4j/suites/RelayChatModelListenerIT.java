package io.github.relayllm.langchain4j.suites;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.common.AbstractChatModelListenerIT;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import io.github.relayllm.langchain4j.RelayBackendException;
import org.junit.jupiter.api.AfterAll;

/**
 * LangChain4j's listener suite for every {@code ChatModel}, run against {@link
 * io.github.relayllm.langchain4j.RelayChatLanguageModel} over loopback Ollama and OpenAI-compatible servers.
 * What does not apply to a relay is listed, with the reason, in docs/guide.md ("LangChain4j's own test suites").
 */
class RelayChatModelListenerIT extends AbstractChatModelListenerIT {

    private static final SuiteRelays RELAYS = new SuiteRelays();

    @AfterAll
    static void close() {
        RELAYS.close();
    }

    @Override
    protected ChatModel createModel(ChatModelListener listener) {
        return RELAYS.chat()
                .modelName(modelName())
                .temperature(temperature())
                .topP(topP())
                .maxTokens(maxTokens())
                .listeners(listener)
                .build();
    }

    @Override
    protected String modelName() {
        return "relay-suite";
    }

    @Override
    protected ChatModel createFailingModel(ChatModelListener listener) {
        return RELAYS.failingChat().listeners(listener).build();
    }

    @Override
    protected Class<? extends Exception> expectedExceptionClass() {
        return RelayBackendException.class;
    }

    /** The answer is put together from several completions of two servers: no one server id names it. */
    @Override
    protected boolean assertResponseId() {
        return false;
    }
}
