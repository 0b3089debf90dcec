package io.github.relayllm.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import io.quarkus.test.QuarkusUnitTest;

/** Start-up fails on an OpenAI teacher without a base URL, naming the property and the fix. */
class MissingBaseUrlTest {

    @RegisterExtension
    static final QuarkusUnitTest app = StubConfig.stubBackends(StubConfig.withClasses(), "quarkus.langchain4j.relay")
            .overrideConfigKey("quarkus.langchain4j.relay.teacher.base-url", "")
            .overrideConfigKey("quarkus.langchain4j.relay.teacher.base-url", "")
            .assertException(error -> assertThat(StubConfig.messages(error))
                    .contains("quarkus.langchain4j.relay.teacher.base-url is not set"));

    @Inject
    ChatModel model; // a ChatModel is requested: the relay model is built, so checked at start-up

    @Test
    void should_not_start() {
        fail("the application started although its relay configuration is wrong");
    }
}
