package io.github.relayllm.langchain4j;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.response.ChatResponse;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.call;
import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.eos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayChatLanguageModelListenerTest {

    private final ScriptedCompletionBackend student = new ScriptedCompletionBackend("student");
    private final ScriptedCompletionBackend teacher = new ScriptedCompletionBackend("teacher");
    private final List<Object> seen = new ArrayList<>();

    private final ChatModelListener listener = new ChatModelListener() {
        @Override
        public void onRequest(ChatModelRequestContext context) {
            seen.add(context);
        }

        @Override
        public void onResponse(ChatModelResponseContext context) {
            seen.add(context);
        }

        @Override
        public void onError(ChatModelErrorContext context) {
            seen.add(context);
        }
    };

    @Test
    void should_show_listeners_the_request_and_the_relay_response() {
        // given
        student.then(call("a<call>3</call>", 2));
        teacher.then(eos("b", 1));
        RelayChatLanguageModel model = RelayChatLanguageModel.builder().student(student).teacher(teacher)
                .maxTokens(500).listeners(listener).build();

        // when
        ChatResponse response = model.chat(UserMessage.from("q"));

        // then
        assertThat(seen).hasSize(2);
        ChatModelRequestContext request = (ChatModelRequestContext) seen.get(0);
        assertThat(request.chatRequest().messages()).containsExactly(UserMessage.from("q"));
        assertThat(request.chatRequest().parameters().maxOutputTokens()).isEqualTo(500);
        assertThat(request.chatRequest().parameters().modelName()).isEqualTo("relay(student+teacher)");
        ChatModelResponseContext responseContext = (ChatModelResponseContext) seen.get(1);
        assertThat(responseContext.chatResponse()).isSameAs(response);
        assertThat(responseContext.chatResponse().metadata()).isInstanceOf(RelayResponseMetadata.class);
        assertThat(((RelayResponseMetadata) responseContext.chatResponse().metadata()).rounds()).isEqualTo(1);
    }

    @Test
    void should_show_listeners_the_error() {
        // given
        student.thenFail(new IllegalStateException("student down"));
        RelayChatLanguageModel model = RelayChatLanguageModel.builder().student(student).teacher(teacher)
                .listeners(List.of(listener)).build();

        // when
        assertThatThrownBy(() -> model.chat(UserMessage.from("q"))).isInstanceOf(RelayBackendException.class);

        // then
        assertThat(seen).hasSize(2);
        ChatModelErrorContext error = (ChatModelErrorContext) seen.get(1);
        assertThat(error.error()).isInstanceOf(RelayBackendException.class).hasMessageContaining("student down");
    }
}
