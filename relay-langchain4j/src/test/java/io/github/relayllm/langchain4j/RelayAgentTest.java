package io.github.relayllm.langchain4j;

import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.TokenStream;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.call;
import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.eos;
import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.length;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay as the chat model of an {@code AiServices} agent with tools and chat memory, blocking and streaming: the
 * agent loop runs over several tool turns, and the student hands parts of its tool calls and of its final answer to
 * the teacher. The backends are scripted from the prompt they get.
 */
class RelayAgentTest {

    private static final String ANSWER_START = "<|im_start|>assistant\n<think>\n\n</think>\n\n";

    interface Agent {
        String chat(String question);
    }

    interface StreamingAgent {
        TokenStream chat(String question);
    }

    static final class Calculator {

        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        @Tool("Multiplies two integers")
        int multiply(int a, int b) {
            calls.add("multiply(" + a + ", " + b + ")");
            return a * b;
        }

        @Tool("Adds two integers")
        int add(int a, int b) {
            calls.add("add(" + a + ", " + b + ")");
            return a + b;
        }
    }

    /**
     * The student of a two-tool agent: first a multiply call whose arguments the teacher writes, then an add call
     * it writes alone, then the answer, whose number the teacher writes.
     */
    private static Completion student(CompletionRequest request) {
        String prompt = request.prompt();
        String answer = prompt.substring(prompt.lastIndexOf(ANSWER_START) + ANSWER_START.length());
        int results = prompt.split("<tool_response>", -1).length - 1;
        if (results == 0 && answer.isEmpty()) {
            return call("<tool_call>\n{\"name\": \"multiply\", \"arguments\": <call>12</call>", 12);
        }
        if (results == 0) {
            return eos("}\n</tool_call>", 4);
        }
        if (results == 1) {
            return eos("<tool_call>\n{\"name\": \"add\", \"arguments\": {\"a\": 391, \"b\": 9}}\n</tool_call>", 20);
        }
        if (answer.isEmpty()) {
            return call("(17 * 23) + 9 = <call>3</call>", 8);
        }
        return eos(".", 1);
    }

    private static Completion teacher(CompletionRequest request) {
        String prompt = request.prompt();
        if (prompt.endsWith("\"arguments\": ")) {
            return length("{\"a\": 17, \"b\": 23}", 12);
        }
        if (prompt.endsWith("= ")) {
            return length("400", 3);
        }
        throw new IllegalStateException("unexpected teacher prompt: " + prompt);
    }

    private final ScriptedCompletionBackend studentBackend =
            new ScriptedCompletionBackend("student").answering(RelayAgentTest::student);
    private final ScriptedCompletionBackend teacherBackend =
            new ScriptedCompletionBackend("teacher").answering(RelayAgentTest::teacher);

    @Test
    void should_run_an_agent_with_tools_and_memory_over_several_tool_turns() {
        // given
        Calculator calculator = new Calculator();
        MessageWindowChatMemory memory = MessageWindowChatMemory.withMaxMessages(20);
        List<ChatResponse> responses = new ArrayList<>();
        RelayChatLanguageModel model = RelayChatLanguageModel.builder()
                .student(studentBackend).teacher(teacherBackend)
                .listeners(new dev.langchain4j.model.chat.listener.ChatModelListener() {
                    @Override
                    public void onResponse(dev.langchain4j.model.chat.listener.ChatModelResponseContext context) {
                        responses.add(context.chatResponse());
                    }
                })
                .build();
        Agent agent = AiServices.builder(Agent.class).chatModel(model).tools(calculator).chatMemory(memory).build();

        // when
        String answer = agent.chat("What is (17 * 23) + 9?");

        // then
        assertThat(answer).isEqualTo("(17 * 23) + 9 = 400.");
        assertThat(calculator.calls).containsExactly("multiply(17, 23)", "add(391, 9)");
        List<ChatMessage> messages = memory.messages();
        assertThat(messages).hasSize(6);
        assertThat(((ToolExecutionResultMessage) messages.get(2)).text()).isEqualTo("391");
        assertThat(((AiMessage) messages.get(3)).toolExecutionRequests().get(0).arguments())
                .isEqualTo("{\"a\":391,\"b\":9}");
        assertThat(studentBackend.request(0).prompt()).contains("<tools>", "\"name\": \"multiply\"",
                "\"name\": \"add\"", "\"description\": \"Multiplies two integers\"");
        assertThat(studentBackend.requests().get(2).prompt()).contains("<tool_response>\n391\n</tool_response>");
        assertThat(responses).extracting(r -> ((RelayResponseMetadata) r.metadata()).rounds())
                .containsExactly(1, 0, 1);
        assertThat(teacherBackend.requests()).allSatisfy(request -> assertThat(request.prompt())
                .doesNotContain("<call>"));
    }

    @Test
    void should_run_the_same_agent_on_the_streaming_relay() throws Exception {
        // given
        Calculator calculator = new Calculator();
        MessageWindowChatMemory memory = MessageWindowChatMemory.withMaxMessages(20);
        List<String> segments = Collections.synchronizedList(new ArrayList<>());
        RelayStreamingChatLanguageModel model = RelayStreamingChatLanguageModel.builder()
                .student(studentBackend).teacher(teacherBackend)
                .segmentListener((role, text) -> {
                    // the scripted backend streams 3 characters a piece: join the pieces of one model
                    int last = segments.size() - 1;
                    if (last >= 0 && segments.get(last).startsWith(role + ":")) {
                        segments.set(last, segments.get(last) + text);
                    } else {
                        segments.add(role + ":" + text);
                    }
                })
                .build();
        StreamingAgent agent = AiServices.builder(StreamingAgent.class).streamingChatModel(model).tools(calculator)
                .chatMemory(memory).build();
        StringBuffer streamed = new StringBuffer();
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        // when
        agent.chat("What is (17 * 23) + 9?")
                .onPartialResponse(streamed::append)
                .onCompleteResponse(done::complete)
                .onError(done::completeExceptionally)
                .start();
        ChatResponse response = done.get(10, TimeUnit.SECONDS);

        // then
        assertThat(response.aiMessage().text()).isEqualTo("(17 * 23) + 9 = 400.");
        assertThat(streamed.toString()).isEqualTo("(17 * 23) + 9 = 400.");
        assertThat(calculator.calls).containsExactly("multiply(17, 23)", "add(391, 9)");
        assertThat(memory.messages()).hasSize(6);
        assertThat(segments).containsExactly("STUDENT:(17 * 23) + 9 = ", "TEACHER:400", "STUDENT:.");
        assertThat(((RelayResponseMetadata) response.metadata()).teacherTokens()).isEqualTo(3);
    }
}
