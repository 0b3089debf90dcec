package io.github.relayllm.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkus.test.QuarkusUnitTest;

/** Start-up fails when a named relay model is injected but nothing configures it. */
class UnconfiguredNamedModelTest {

    @jakarta.inject.Singleton
    static class NeedsMissingModel {
        @Inject
        @ModelName("missing")
        ChatModel model;
    }

    @RegisterExtension
    static final QuarkusUnitTest app = StubConfig.withClasses(NeedsMissingModel.class)
            .assertException(error -> assertThat(StubConfig.messages(error))
                    .contains("The relay model 'missing' is requested")
                    .contains("set one of its budgets or policies to run it on the embedded tiny pair "
                            + "(e.g. quarkus.langchain4j.relay.missing.max-tokens=256)")
                    .contains("or quarkus.langchain4j.relay.missing.student.provider"));

    @Test
    void should_not_start() {
        fail("the application started although the model 'missing' is not configured");
    }
}
