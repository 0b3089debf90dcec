package io.github.relayllm.quarkus.deployment;

import io.github.relayllm.langchain4j.RelayFinishReason;
import io.github.relayllm.langchain4j.RelayResponseMetadata;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkus.test.QuarkusUnitTest;

/** A named relay model gets its own settings: {@code fast} may not call the teacher at all. */
class NamedRelayModelTest {

    @RegisterExtension
    static final QuarkusUnitTest app = StubConfig.stubBackends(
            StubConfig.stubBackends(StubConfig.withClasses(), "quarkus.langchain4j.relay"),
            "quarkus.langchain4j.relay.fast")
            .overrideConfigKey("quarkus.langchain4j.relay.fast.max-rounds", "0");

    @Inject
    ChatModel defaultModel;

    @Inject
    @ModelName("fast")
    ChatModel fastModel;

    @Test
    void should_use_the_named_model_settings() {
        // when
        ChatResponse fast = StubConfig.ask(fastModel);
        ChatResponse normal = StubConfig.ask(defaultModel);

        // then
        RelayResponseMetadata fastRelay = (RelayResponseMetadata) fast.metadata();
        assertThat(fastRelay.teacherTokens()).isZero();
        assertThat(fastRelay.relayFinishReason()).isEqualTo(RelayFinishReason.MAX_ROUNDS);
        assertThat(((RelayResponseMetadata) normal.metadata()).rounds()).isEqualTo(1);
        assertThat(normal.aiMessage().text()).isEqualTo(BackendStub.ANSWER);
    }
}
