package io.github.relayllm.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import io.github.relayllm.langchain4j.format.PromptFormat;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.github.relayllm.langchain4j.ChunkedCompletionBackend.call;
import static io.github.relayllm.langchain4j.ChunkedCompletionBackend.eos;
import static io.github.relayllm.langchain4j.ChunkedCompletionBackend.length;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayStreamingChatLanguageModelTest {

    /** Words that look like the beginning of a tag the stream must hold back, and then turn out to be text. */
    private static final String[] WORDS = {"17", "*", "23", "=", "391", "so", "the", "answer", "x<y", "<", "<c",
            "<ca", "<cal", "<call", "</", "</c", "</cal", "</call", "<callx>", "<call >", "a</b>", "<|", "<|im_",
            "<|im_end", "<th", "<think", "<tool_", "<tool_call", "call>", "/call>", "\n", "####", "<<", ">"};

    private static ChatRequest ask(String question) {
        return ChatRequest.builder().messages(UserMessage.from(question)).build();
    }

    private static String prose(Random random) {
        StringBuilder text = new StringBuilder();
        int words = random.nextInt(4);
        for (int i = 0; i < words; i++) {
            text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
        }
        return text.toString();
    }

    private static String command(Random random) {
        int n = 1 + random.nextInt(40);
        return switch (random.nextInt(4)) {
            case 0 -> "<call> " + n + " </call>";
            case 1 -> "<call>\n" + n + "\n</call>";
            case 2 -> "<call></call>";
            default -> "<call>" + n + "</call>";
        };
    }

    @Test
    void should_never_stream_a_command_whatever_the_split() {
        for (int seed = 0; seed < 400; seed++) {
            // given: an answer of student spans, commands and teacher spans, streamed in random pieces
            Random random = new Random(seed);
            ChunkedCompletionBackend student = new ChunkedCompletionBackend("student", random);
            ChunkedCompletionBackend teacher = new ChunkedCompletionBackend("teacher", random);
            StringBuilder expected = new StringBuilder();
            StringBuilder studentText = new StringBuilder();
            StringBuilder teacherText = new StringBuilder();
            int rounds = random.nextInt(5);
            for (int round = 0; round < rounds; round++) {
                String before = prose(random);
                String span = prose(random) + "t" + round + " ";
                student.then(call(before + command(random), 5));
                teacher.then(length(span, 4));
                expected.append(before).append(span);
                studentText.append(before);
                teacherText.append(span);
            }
            String last = prose(random) + "#### 391";
            student.then(eos(last, 3));
            expected.append(last);
            studentText.append(last);
            RecordingStreamingHandler handler = new RecordingStreamingHandler();
            RelayStreamingChatLanguageModel model = RelayStreamingChatLanguageModel.builder()
                    .student(student).teacher(teacher).segmentListener(handler).build();

            // when
            model.chat(ask("17 * 23?"), handler);
            handler.await();

            // then
            String context = "seed " + seed + ", pieces " + handler.partials;
            assertThat(handler.errors).as(context).isEmpty();
            assertThat(handler.partials).as(context).allSatisfy(piece -> assertThat(piece).isNotEmpty()
                    .doesNotContain("<call>").doesNotContain("</call>"));
            assertThat(handler.text()).as(context).isEqualTo(expected.toString());
            assertThat(handler.completions.get(0).aiMessage().text()).as(context).isEqualTo(expected.toString());
            assertThat(handler.text(RelayRole.STUDENT)).as(context).isEqualTo(studentText.toString());
            assertThat(handler.text(RelayRole.TEACHER)).as(context).isEqualTo(teacherText.toString());
            assertThat(teacher.requests()).as(context).allSatisfy(request ->
                    assertThat(request.prompt()).doesNotContain("<call>"));
        }
    }

    @Test
    void should_release_text_that_only_looked_like_a_command_when_the_answer_ends() {
        // given
        ChunkedCompletionBackend student = new ChunkedCompletionBackend("student", null)
                .then(eos("a <cal", 3), List.of("a <", "cal"));
        RecordingStreamingHandler handler = new RecordingStreamingHandler();

        // when
        RelayStreamingChatLanguageModel.builder().student(student).teacher(student).build()
                .chat(ask("q"), handler);

        // then
        assertThat(handler.await().text()).isEqualTo("a <cal");
        assertThat(handler.completions.get(0).aiMessage().text()).isEqualTo("a <cal");
    }

    @Test
    void should_hold_back_only_the_characters_that_could_still_begin_a_command() {
        // given: what the handler had received when each next piece was about to be handed over
        List<String> seen = new ArrayList<>();
        RecordingStreamingHandler handler = new RecordingStreamingHandler();
        ChunkedCompletionBackend student = new ChunkedCompletionBackend("student", null)
                .then(call("Hello world <call>7</call>", 9), List.of("Hello wor", "ld <ca", "ll>7</ca", "ll>"))
                .then(eos("!", 1));
        student.beforePiece(piece -> seen.add(handler.text()));
        ChunkedCompletionBackend teacher = new ChunkedCompletionBackend("teacher", null)
                .then(length(" and all", 2));

        // when
        RelayStreamingChatLanguageModel.builder().student(student).teacher(teacher).segmentListener(handler).build()
                .chat(ask("q"), handler);
        handler.await();

        // then
        assertThat(seen).containsExactly("", "Hello wor", "Hello world ", "Hello world ", "Hello world  and all");
        assertThat(handler.text()).isEqualTo("Hello world  and all!");
        assertThat(handler.teacherCalls).containsExactly("1:7");
    }

    @Test
    void should_tell_which_model_wrote_each_piece_through_the_segment_listener() {
        // given
        List<String> heard = new ArrayList<>();
        RelaySegmentListener listener = (role, text) -> heard.add(role + ":" + text);
        ChunkedCompletionBackend student = new ChunkedCompletionBackend("student", null)
                .then(call("17 * 23 = <call>3</call>", 8)).then(eos("\n#### 391", 4));
        ChunkedCompletionBackend teacher = new ChunkedCompletionBackend("teacher", null).then(length("391", 3));
        RecordingStreamingHandler handler = new RecordingStreamingHandler();

        // when
        RelayStreamingChatLanguageModel.builder().student(student).teacher(teacher).segmentListener(listener)
                .build().chat(ask("q"), handler);
        ChatResponse response = handler.await().completions.get(0);

        // then
        assertThat(heard).containsExactly("STUDENT:17 * 23 = ", "TEACHER:391", "STUDENT:\n#### 391");
        assertThat(handler.partials).containsExactly("17 * 23 = ", "391", "\n#### 391");
        assertThat(((RelayResponseMetadata) response.metadata()).segments()).containsExactly(
                new RelaySegment(RelayRole.STUDENT, "17 * 23 = ", 8), new RelaySegment(RelayRole.TEACHER, "391", 3),
                new RelaySegment(RelayRole.STUDENT, "\n#### 391", 4));
    }

    @Test
    void should_stream_thinking_to_onPartialThinking_and_the_rest_as_text() {
        // given
        ChunkedCompletionBackend student = new ChunkedCompletionBackend("student", new Random(7))
                .then(call("<think>\nfirst 17 * 20 <call>5</call>", 9)).then(eos("\n</think>\n\n#### 391", 6));
        ChunkedCompletionBackend teacher = new ChunkedCompletionBackend("teacher", new Random(8))
                .then(length("= 340, then 51", 6));
        RecordingStreamingHandler handler = new RecordingStreamingHandler();

        // when
        RelayStreamingChatLanguageModel.builder().student(student).teacher(teacher)
                .promptFormat(PromptFormat.qwen3Thinking()).build().chat(ask("q"), handler);
        ChatResponse response = handler.await().completions.get(0);

        // then
        assertThat(String.join("", handler.thinking)).isEqualTo("first 17 * 20 = 340, then 51");
        assertThat(handler.text()).isEqualTo("#### 391");
        assertThat(response.aiMessage().thinking()).isEqualTo("first 17 * 20 = 340, then 51");
        assertThat(response.aiMessage().text()).isEqualTo("#### 391");
    }

    @Test
    void should_complete_with_the_relay_metadata_on_the_executor_thread() {
        // given
        ChunkedCompletionBackend student = new ChunkedCompletionBackend("student", null)
                .then(call("a <call>4</call>", 6)).then(eos(" c", 2));
        ChunkedCompletionBackend teacher = new ChunkedCompletionBackend("teacher", null).then(length("b", 4));
        RecordingStreamingHandler handler = new RecordingStreamingHandler();

        // when
        RelayStreamingChatLanguageModel.builder().student(student).teacher(teacher).build()
                .chat(ask("q"), handler);
        ChatResponse response = handler.await().completions.get(0);

        // then
        RelayResponseMetadata relay = (RelayResponseMetadata) response.metadata();
        assertThat(relay.studentTokens()).isEqualTo(8);
        assertThat(relay.teacherTokens()).isEqualTo(4);
        assertThat(relay.rounds()).isEqualTo(1);
        assertThat(relay.callRatio()).isEqualTo(4.0 / 12);
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(handler.errors).isEmpty();
        assertThat(handler.threads).allSatisfy(thread -> assertThat(thread).startsWith("relay-stream-"));
    }

    @Test
    void should_return_from_chat_before_the_relay_runs_on_the_given_executor() throws Exception {
        // given
        CountDownLatch release = new CountDownLatch(1);
        ChunkedCompletionBackend student = new ChunkedCompletionBackend("student", null).then(eos("done", 1));
        student.beforePiece(piece -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        RecordingStreamingHandler handler = new RecordingStreamingHandler();
        var executor = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "mine"));
        try {
            // when
            RelayStreamingChatLanguageModel.builder().student(student).teacher(student).executor(executor).build()
                    .chat(ask("q"), handler);

            // then
            assertThat(handler.partials).isEmpty();
            release.countDown();
            assertThat(handler.await().text()).isEqualTo("done");
            assertThat(handler.threads).containsExactly("mine");
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void should_end_in_onError_exactly_once_when_the_student_fails() throws Exception {
        // given
        ChunkedCompletionBackend student = new ChunkedCompletionBackend("student", null)
                .then(call("a <call>4</call>", 6)).thenFail(new IllegalStateException("connection refused"));
        ChunkedCompletionBackend teacher = new ChunkedCompletionBackend("teacher", null).then(length("b", 4));
        RecordingStreamingHandler handler = new RecordingStreamingHandler();

        // when
        RelayStreamingChatLanguageModel.builder().student(student).teacher(teacher).build()
                .chat(ask("q"), handler);
        handler.await();
        Thread.sleep(50);

        // then
        assertThat(handler.completions).isEmpty();
        assertThat(handler.errors).singleElement().isInstanceOf(RelayBackendException.class)
                .satisfies(e -> assertThat(e).hasMessageContaining("student backend 'chunked(student)' failed")
                        .hasMessageContaining("connection refused"));
        assertThat(handler.text()).isEqualTo("a b");
    }

    @Test
    void should_throw_from_chat_for_request_parameters_the_relay_cannot_honour() {
        // given
        ChunkedCompletionBackend student = new ChunkedCompletionBackend("student", null);
        RecordingStreamingHandler handler = new RecordingStreamingHandler();
        RelayStreamingChatLanguageModel model =
                RelayStreamingChatLanguageModel.builder().student(student).teacher(student).build();

        // when / then: as LangChain4j's own streaming models, before going asynchronous
        assertThatThrownBy(() -> model.chat(ChatRequest.builder().messages(UserMessage.from("q")).topK(3).build(),
                handler)).isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining("topK");
        assertThat(handler.errors).isEmpty();
        assertThat(handler.completions).isEmpty();
        assertThat(student.requests()).isEmpty();
    }

    @Test
    void should_hand_each_exception_the_handler_throws_to_onError_and_go_on() {
        // given: LangChain4j's own streaming models do this (AbstractStreamingChatModelIT checks it)
        ChunkedCompletionBackend student = new ChunkedCompletionBackend("student", null)
                .then(eos("one two three", 3), List.of("one ", "two ", "three"));
        IllegalStateException thrown = new IllegalStateException("the UI is gone");
        RecordingStreamingHandler handler = new RecordingStreamingHandler().onPartial(handle -> {
            throw thrown;
        });

        // when
        RelayStreamingChatLanguageModel.builder().student(student).teacher(student).build()
                .chat(ask("q"), handler);

        // then
        assertThat(handler.awaitCompletion().errors).containsExactly(thrown, thrown, thrown);
        assertThat(handler.text()).isEqualTo("one two three");
        assertThat(handler.completions).singleElement()
                .satisfies(response -> assertThat(response.aiMessage().text()).isEqualTo("one two three"));
        assertThat(student.cancelledCalls()).isZero();
    }

    @Test
    void should_stop_the_teacher_and_hear_nothing_more_when_cancelled_during_a_teacher_span() throws Exception {
        // given
        ChunkedCompletionBackend student = new ChunkedCompletionBackend("student", null)
                .then(call("a <call>9</call>", 6)).then(eos(" never", 1));
        ChunkedCompletionBackend teacher = new ChunkedCompletionBackend("teacher", null)
                .then(length("b c d", 3), List.of("b", " c", " d"));
        RecordingStreamingHandler handler = new RecordingStreamingHandler();
        handler.onPartial(handle -> {
            if (handler.partials.get(handler.partials.size() - 1).equals("b")) {
                handle.cancel();
            }
        });
        RelayStreamingChatLanguageModel model = RelayStreamingChatLanguageModel.builder()
                .student(student).teacher(teacher).build();

        // when
        model.chat(ask("q"), handler);

        // then
        assertThat(handler.endsWithin(Duration.ofMillis(300))).isFalse();
        assertThat(handler.partials).containsExactly("a ", "b");
        assertThat(teacher.cancelledCalls()).isEqualTo(1);
        assertThat(student.requests()).hasSize(1);
        assertThat(handler.errors).isEmpty();
        assertThat(handler.completions).isEmpty();
    }

    @Test
    void should_stop_the_student_when_cancelled_during_a_student_span() throws Exception {
        // given
        ChunkedCompletionBackend student = new ChunkedCompletionBackend("student", null)
                .then(eos("one two three", 3), List.of("one ", "two ", "three"));
        AtomicReference<dev.langchain4j.model.chat.response.StreamingHandle> handle = new AtomicReference<>();
        RecordingStreamingHandler handler = new RecordingStreamingHandler().onPartial(h -> {
            handle.set(h);
            h.cancel();
        });

        // when
        RelayStreamingChatLanguageModel.builder().student(student).teacher(student).build()
                .chat(ask("q"), handler);

        // then
        assertThat(handler.endsWithin(Duration.ofMillis(300))).isFalse();
        assertThat(handler.partials).containsExactly("one ");
        assertThat(handle.get().isCancelled()).isTrue();
        assertThat(student.cancelledCalls()).isEqualTo(1);
    }

    @Test
    void should_keep_tool_calls_out_of_the_stream_and_report_each_as_a_complete_tool_call() {
        // given: the student writes two calls and hands the arguments of the first to the teacher
        ChunkedCompletionBackend student = new ChunkedCompletionBackend("student", new Random(3))
                .then(call("Let me compute.\n<tool_call>\n{\"name\": \"multiply\", \"arguments\": <call>9</call>", 9))
                .then(eos("}\n</tool_call>\n<tool_call>\n{\"name\": \"add\", \"arguments\": {\"a\": 1, \"b\": 2}}"
                        + "\n</tool_call>", 20));
        ChunkedCompletionBackend teacher = new ChunkedCompletionBackend("teacher", new Random(4))
                .then(length("{\"a\": 17, \"b\": 23}", 9));
        RecordingStreamingHandler handler = new RecordingStreamingHandler();
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("17 * 23 and 1 + 2?"))
                .toolSpecifications(ToolSpecification.builder().name("multiply").build(),
                        ToolSpecification.builder().name("add").build())
                .build();

        // when
        RelayStreamingChatLanguageModel.builder().student(student).teacher(teacher).build()
                .chat(request, handler);
        ChatResponse response = handler.await().completions.get(0);

        // then
        assertThat(handler.text()).isEqualTo("Let me compute."); // the final message's text, stripped
        assertThat(handler.toolCalls).extracting(c -> c.index() + ":" + c.toolExecutionRequest().name()
                + c.toolExecutionRequest().arguments())
                .containsExactly("0:multiply{\"a\":17,\"b\":23}", "1:add{\"a\":1,\"b\":2}");
        assertThat(response.aiMessage().toolExecutionRequests()).extracting(ToolExecutionRequest::name)
                .containsExactly("multiply", "add");
        assertThat(response.aiMessage().text()).isEqualTo("Let me compute.");
        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
    }

    @Test
    void should_call_the_chat_model_listeners_around_a_streamed_request() {
        // given
        List<String> events = new ArrayList<>();
        ChatModelListener listener = new ChatModelListener() {
            @Override
            public void onRequest(ChatModelRequestContext context) {
                events.add("request");
            }

            @Override
            public void onResponse(ChatModelResponseContext context) {
                events.add("response " + context.chatResponse().aiMessage().text());
            }

            @Override
            public void onError(ChatModelErrorContext context) {
                events.add("error");
            }
        };
        ChunkedCompletionBackend student = new ChunkedCompletionBackend("student", null).then(eos("391", 2));
        RecordingStreamingHandler handler = new RecordingStreamingHandler();

        // when
        RelayStreamingChatLanguageModel.builder().student(student).teacher(student).listeners(listener).build()
                .chat(ask("q"), handler);
        handler.await();

        // then
        assertThat(events).containsExactly("request", "response 391");
    }
}
