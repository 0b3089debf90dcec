package io.github.relayllm.quarkus.deployment;

import io.github.relayllm.langchain4j.RelayResponseMetadata;
import io.github.relayllm.langchain4j.RelayStreamingChatLanguageModel;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.QuarkusUnitTest;

/** The streaming relay model streams the answer, commands left out, over both HTTP backends. */
class StreamingRelayModelTest {

    @RegisterExtension
    static final QuarkusUnitTest app = StubConfig.stubBackends(StubConfig.withClasses(), "quarkus.langchain4j.relay");

    @Inject
    StreamingChatModel model;

    @Test
    void should_stream_the_relay_answer() throws Exception {
        // given
        assertThat(ClientProxy.unwrap(model)).isInstanceOf(RelayStreamingChatLanguageModel.class);
        StringBuffer streamed = new StringBuffer();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        // when
        model.chat(ChatRequest.builder().messages(UserMessage.from("What is 6 x 7?")).build(),
                new StreamingChatResponseHandler() {
                    @Override
                    public void onPartialResponse(String partialResponse) {
                        streamed.append(partialResponse);
                    }

                    @Override
                    public void onCompleteResponse(ChatResponse completeResponse) {
                        done.complete(completeResponse);
                    }

                    @Override
                    public void onError(Throwable error) {
                        done.completeExceptionally(error);
                    }
                });
        ChatResponse response = done.get(60, TimeUnit.SECONDS);

        // then
        assertThat(streamed.toString()).isEqualTo(BackendStub.ANSWER).doesNotContain("<call>");
        assertThat(response.aiMessage().text()).isEqualTo(BackendStub.ANSWER);
        assertThat(((RelayResponseMetadata) response.metadata()).rounds()).isEqualTo(1);
    }
}
