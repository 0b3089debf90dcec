package io.github.relayllm.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkiverse.langchain4j.RegisterAiService;
import io.quarkus.test.QuarkusUnitTest;

/** {@code @RegisterAiService(modelName = "math")} answers through the named relay model. */
class AiServiceModelNameTest {

    @RegisterAiService(modelName = "math")
    @ApplicationScoped
    interface Assistant {
        String answer(String question);
    }

    @RegisterExtension
    static final QuarkusUnitTest app = StubConfig.stubBackends(StubConfig.withClasses(Assistant.class),
            "quarkus.langchain4j.relay.math");

    @Inject
    Assistant assistant;

    @Test
    void should_answer_through_the_named_relay_model() {
        // when
        String answer = assistant.answer("What is 6 x 7?");

        // then
        assertThat(answer).isEqualTo(BackendStub.ANSWER);
    }
}
