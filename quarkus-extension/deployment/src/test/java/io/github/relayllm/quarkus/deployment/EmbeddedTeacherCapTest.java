package io.github.relayllm.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.github.relayllm.langchain4j.RelayResponseMetadata;
import io.quarkiverse.langchain4j.ModelName;
import io.quarkiverse.langchain4j.RegisterAiService;
import io.quarkus.test.QuarkusUnitTest;

/**
 * On the embedded pair, {@code max-teacher-tokens=200} changes no answer that needs fewer teacher tokens: the default
 * model and the named model {@code capped} (the cap its only property, so it runs the embedded pair too) answer
 * alike, run after run, through AI services as through the chat models. The AI services keep no chat memory, so
 * every run asks the question alone.
 */
class EmbeddedTeacherCapTest {

    private static final String QUESTION = "A school has 923 coins. First it loses 74. Then it gives 25. "
            + "Finally it buys 44. How many now?";
    private static final int RUNS = 3;

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
    static final QuarkusUnitTest app = StubConfig.withClasses(Assistant.class, CappedAssistant.class)
            .overrideConfigKey("quarkus.langchain4j.relay.max-tokens", "256")
            .overrideConfigKey("quarkus.langchain4j.relay.capped.max-tokens", "256")
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

    private static ChatResponse ask(ChatModel model) {
        return model.chat(ChatRequest.builder().messages(UserMessage.from(QUESTION)).build());
    }

    /**
     * The metadata without what differs between the two models and the runs: the model name, the latencies and the
     * prompt tokens found in the engine's cache (which hold what the call before left there).
     */
    private static RelayResponseMetadata relay(ChatResponse response) {
        return ((RelayResponseMetadata) response.metadata()).toBuilder().modelName("relay")
                .studentLatency(Duration.ZERO).teacherLatency(Duration.ZERO)
                .studentCachedPromptTokens(null).teacherCachedPromptTokens(null).build();
    }

    @Test
    void should_answer_alike_with_and_without_a_cap_the_answer_never_reaches() {
        // given
        String reference = assistant.answer(QUESTION);

        for (int i = 0; i < RUNS; i++) {
            // when
            String cappedAnswer = cappedAssistant.answer(QUESTION);
            String uncappedAnswer = assistant.answer(QUESTION);

            // then
            assertThat(cappedAnswer).isEqualTo(reference);
            assertThat(uncappedAnswer).isEqualTo(reference);
        }
        assertThat(reference).endsWith("#### 868");
    }

    @Test
    void should_give_the_same_metadata_with_and_without_the_cap() {
        // given
        ChatResponse reference = ask(uncapped);

        for (int i = 0; i < RUNS; i++) {
            // when
            ChatResponse cappedResponse = ask(capped);
            ChatResponse uncappedResponse = ask(uncapped);

            // then
            assertThat(relay(cappedResponse).teacherTokens()).isLessThan(200);
            assertThat(cappedResponse.aiMessage()).isEqualTo(reference.aiMessage());
            assertThat(relay(cappedResponse)).isEqualTo(relay(reference));
            assertThat(relay(uncappedResponse)).isEqualTo(relay(reference));
        }
    }
}
