package io.github.relayllm.quarkus.deployment;

import io.github.relayllm.langchain4j.RelayResponseMetadata;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.response.ChatResponseMetadata;
import io.quarkus.test.QuarkusUnitTest;

/** The application's {@link ChatModelListener} beans see every relay request with its relay metadata. */
class ChatModelListenerTest {

    @ApplicationScoped
    static class RecordingListener implements ChatModelListener {
        private final List<ChatResponseMetadata> responses = new CopyOnWriteArrayList<>();

        List<ChatResponseMetadata> responses() { // a method: the injected client proxy has its own fields
            return responses;
        }

        @Override
        public void onResponse(ChatModelResponseContext context) {
            responses.add(context.chatResponse().metadata());
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest app = StubConfig.stubBackends(StubConfig.withClasses(RecordingListener.class),
            "quarkus.langchain4j.relay");

    @Inject
    ChatModel model;

    @Inject
    RecordingListener listener;

    @Test
    void should_call_the_listener_beans() {
        // when
        StubConfig.ask(model);

        // then
        assertThat(listener.responses()).singleElement().isInstanceOfSatisfying(RelayResponseMetadata.class,
                relay -> assertThat(relay.rounds()).isEqualTo(1));
    }
}
