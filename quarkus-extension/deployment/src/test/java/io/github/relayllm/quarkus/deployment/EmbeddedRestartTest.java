package io.github.relayllm.quarkus.deployment;

import io.github.relayllm.langchain4j.RelayResponseMetadata;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.embedded.EmbeddedModels;
import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The in-process engine runs in an application started after the engine already ran in this JVM, as in dev-mode
 * restarts and in test suites with several Quarkus applications. java-llama.cpp's JNI library loads in one class
 * loader only: before the application starts, this test runs the engine from JUnit's class loader, so the
 * application's engine fails with {@code UnsatisfiedLinkError} unless the extension makes {@code de.kherud:llama}
 * parent-first.
 */
class EmbeddedRestartTest {

    private static final String ENGINE_RAN = "relay.test.engine-ran-outside-the-application";

    static {
        // runs twice: in JUnit's class loader first (before the application starts), then in the application's
        if (System.getProperty(ENGINE_RAN) == null) {
            try (CompletionBackend engine = EmbeddedModels.student()) {
                engine.complete(CompletionRequest.builder().prompt("1+1=").maxTokens(2).build());
            }
            System.setProperty(ENGINE_RAN, EmbeddedRestartTest.class.getClassLoader().toString());
        }
    }

    @RegisterExtension
    static final QuarkusUnitTest app = StubConfig.withClasses()
            .overrideConfigKey("quarkus.langchain4j.relay.max-tokens", "32");

    @Inject
    ChatModel model;

    @Test
    void should_run_the_engine_again_in_a_later_application() {
        // given: the engine first ran in another class loader than this application's
        assertThat(System.getProperty(ENGINE_RAN)).isNotEqualTo(getClass().getClassLoader().toString());

        // when
        ChatResponse response = StubConfig.ask(model);

        // then
        assertThat(((RelayResponseMetadata) response.metadata()).studentTokens()).isPositive();
    }
}
