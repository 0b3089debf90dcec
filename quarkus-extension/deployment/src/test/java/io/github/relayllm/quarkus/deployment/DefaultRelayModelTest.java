package io.github.relayllm.quarkus.deployment;

import io.github.relayllm.langchain4j.RelayChatLanguageModel;
import io.github.relayllm.langchain4j.RelayResponseMetadata;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.QuarkusUnitTest;

/** The default relay model: an Ollama student and an OpenAI-compatible teacher, both over HTTP. */
class DefaultRelayModelTest {

    @RegisterExtension
    static final QuarkusUnitTest app = StubConfig.stubBackends(StubConfig.withClasses(), "quarkus.langchain4j.relay")
            .overrideConfigKey("quarkus.langchain4j.chat-model.provider", "relay")
            .overrideConfigKey("quarkus.langchain4j.relay.teacher.api-key", "sk-test");

    @Inject
    ChatModel model;

    @Test
    void should_answer_with_the_student_and_the_teacher() {
        // given
        assertThat(ClientProxy.unwrap(model)).isInstanceOf(RelayChatLanguageModel.class);

        // when
        ChatResponse response = StubConfig.ask(model);

        // then
        assertThat(response.aiMessage().text()).isEqualTo(BackendStub.ANSWER);
        RelayResponseMetadata relay = (RelayResponseMetadata) response.metadata();
        assertThat(relay.rounds()).isEqualTo(1);
        assertThat(relay.studentTokens()).isEqualTo(9);
        assertThat(relay.teacherTokens()).isEqualTo(5);
    }
}
