package io.github.relayllm.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import io.quarkus.test.QuarkusUnitTest;

/** Start-up fails on an unknown provider, naming the property and the fix. */
class UnknownProviderTest {

    @RegisterExtension
    static final QuarkusUnitTest app = StubConfig.stubBackends(StubConfig.withClasses(), "quarkus.langchain4j.relay")
            .overrideConfigKey("quarkus.langchain4j.relay.student.provider", "olama")
            .assertException(error -> assertThat(StubConfig.messages(error))
                    .contains("quarkus.langchain4j.relay.student.provider is 'olama', which is unknown: use ollama, openai or llama-cpp"));

    @Inject
    ChatModel model; // a ChatModel is requested: the relay model is built, so checked at start-up

    @Test
    void should_not_start() {
        fail("the application started although its relay configuration is wrong");
    }
}
