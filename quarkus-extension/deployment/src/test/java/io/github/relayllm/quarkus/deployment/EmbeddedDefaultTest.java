package io.github.relayllm.quarkus.deployment;

import io.github.relayllm.langchain4j.RelayResponseMetadata;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.quarkus.test.QuarkusUnitTest;

/** With no backend configured, the relay runs the embedded tiny student and teacher in process. */
class EmbeddedDefaultTest {

    @RegisterExtension
    static final QuarkusUnitTest app = StubConfig.withClasses()
            .overrideConfigKey("quarkus.langchain4j.relay.max-tokens", "64");

    @Inject
    ChatModel model;

    @Test
    void should_answer_with_the_embedded_pair() {
        // when
        ChatResponse response = StubConfig.ask(model);

        // then
        RelayResponseMetadata relay = (RelayResponseMetadata) response.metadata();
        assertThat(relay.studentTokens()).isPositive();
        assertThat(relay.studentTokens() + relay.teacherTokens()).isLessThanOrEqualTo(64);
        assertThat(response.aiMessage().text()).doesNotContain("<call>");
    }
}
