package io.github.relayllm.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.relayllm.langchain4j.RelayResponseMetadata;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkiverse.langchain4j.RegisterAiService;
import io.quarkus.test.QuarkusUnitTest;

/**
 * {@code max-teacher-tokens} that an answer never reaches sends the same requests to both backends as no cap: the
 * default model and the named model {@code capped} differ in that property only. The AI services keep no chat
 * memory, so both send the same conversation.
 */
class TeacherCapRequestsTest {

    @RegisterAiService(chatMemoryProviderSupplier = RegisterAiService.NoChatMemoryProviderSupplier.class)
    @ApplicationScoped
    interface Assistant {
        String answer(String question);
    }

    @RegisterAiService(modelName = "capped",
            chatMemoryProviderSupplier = RegisterAiService.NoChatMemoryProviderSupplier.class)
    @ApplicationScoped
    interface CappedAssistant {
        String answer(String question);
    }

    @RegisterExtension
    static final QuarkusUnitTest app = StubConfig.stubBackends(
            StubConfig.stubBackends(StubConfig.withClasses(Assistant.class, CappedAssistant.class),
                    "quarkus.langchain4j.relay"),
            "quarkus.langchain4j.relay.capped")
            .overrideConfigKey("quarkus.langchain4j.relay.capped.max-teacher-tokens", "200");

    @Inject
    ChatModel uncapped;

    @Inject
    @ModelName("capped")
    ChatModel capped;

    @Inject
    Assistant assistant;

    @Inject
    CappedAssistant cappedAssistant;

    /** The requests the backends got while {@code ask} ran. */
    private static <T> List<String> requestsOf(Supplier<T> ask) {
        BackendStub.requests().clear();
        ask.get();
        return List.copyOf(BackendStub.requests());
    }

    @Test
    void should_send_the_same_requests_with_a_cap_the_answer_never_reaches() {
        // when
        List<String> uncappedRequests = requestsOf(() -> StubConfig.ask(uncapped));
        List<String> cappedRequests = requestsOf(() -> StubConfig.ask(capped));

        // then
        assertThat(uncappedRequests).hasSize(3);
        assertThat(cappedRequests).isEqualTo(uncappedRequests);
        ChatResponse response = StubConfig.ask(capped);
        assertThat(response.aiMessage().text()).isEqualTo(BackendStub.ANSWER);
        assertThat(((RelayResponseMetadata) response.metadata()).teacherTokens()).isLessThan(200);
    }

    @Test
    void should_send_the_same_requests_through_ai_services() {
        // when
        List<String> uncappedRequests = requestsOf(() -> assistant.answer("What is 6 x 7?"));
        List<String> cappedRequests = requestsOf(() -> cappedAssistant.answer("What is 6 x 7?"));

        // then
        assertThat(uncappedRequests).hasSize(3);
        assertThat(cappedRequests).isEqualTo(uncappedRequests);
        assertThat(cappedAssistant.answer("What is 6 x 7?")).isEqualTo(assistant.answer("What is 6 x 7?"))
                .isEqualTo(BackendStub.ANSWER);
    }
}
