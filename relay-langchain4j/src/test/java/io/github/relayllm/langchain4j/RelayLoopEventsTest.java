package io.github.relayllm.langchain4j;

import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;

import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.call;
import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.eos;
import static io.github.relayllm.langchain4j.ScriptedCompletionBackend.length;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hook the streaming model uses: {@link RelayLoop#run} with {@link RelayEvents}. */
class RelayLoopEventsTest {

    private final ScriptedCompletionBackend student = new ScriptedCompletionBackend("student");
    private final ScriptedCompletionBackend teacher = new ScriptedCompletionBackend("teacher");

    private RelayLoop loop() {
        return new RelayLoop(new RelaySettings(RelayChatLanguageModel.builder().student(student).teacher(teacher),
                "RelayChatLanguageModel"));
    }

    private static ChatRequest ask() {
        return ChatRequest.builder().messages(UserMessage.from("q")).build();
    }

    /** Records events as strings. */
    private static class Recorder implements RelayEvents {

        final List<String> events = new ArrayList<>();
        final StringBuilder text = new StringBuilder();
        final boolean streaming;

        Recorder(boolean streaming) {
            this.streaming = streaming;
        }

        @Override
        public boolean streaming() {
            return streaming;
        }

        @Override
        public void onStudentText(String piece) {
            assertThat(piece).isNotEmpty();
            text.append(piece);
            events.add("S:" + piece);
        }

        @Override
        public void onTeacherText(String piece) {
            assertThat(piece).isNotEmpty();
            text.append(piece);
            events.add("T:" + piece);
        }

        @Override
        public void onCommand(String markup, int callTokens) {
            events.add("command " + markup + " " + callTokens);
        }

        @Override
        public void onRoundStart(int round, int callTokens) {
            events.add("round " + round + " start " + callTokens);
        }

        @Override
        public void onRoundEnd(int round, boolean failed) {
            events.add("round " + round + " end" + (failed ? " failed" : ""));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 40})
    void should_stream_the_visible_text_in_any_piece_size(int pieceLength) {
        // given
        student.pieceLength(pieceLength)
                .then(call("17 * 23 = <call>5</call>", 8))
                .then(call(", so <call>0</call>", 4))
                .then(eos("done</call>!", 3));
        teacher.pieceLength(pieceLength).then(length("391", 5));
        Recorder recorder = new Recorder(true);

        // when
        ChatResponse response = loop().run(ask(), recorder);

        // then
        assertThat(student.streamingCalls()).isEqualTo(3);
        assertThat(teacher.streamingCalls()).isEqualTo(1);
        assertThat(recorder.text.toString()).isEqualTo(response.aiMessage().text()).isEqualTo("17 * 23 = 391, so done!");
        assertThat(recorder.events).noneMatch(event -> (event.startsWith("S:") || event.startsWith("T:"))
                && (event.contains("<") || event.contains(">")));
        assertThat(recorder.events).containsSubsequence("command <call>5</call> 5", "round 1 start 5",
                "round 1 end", "command <call>0</call> 0");
        int start = recorder.events.indexOf("round 1 start 5");
        int end = recorder.events.indexOf("round 1 end");
        assertThat(String.join("", recorder.events.subList(start + 1, end))).isEqualTo(
                pieceLength >= 3 ? "T:391" : pieceLength == 2 ? "T:39T:1" : "T:3T:9T:1");
    }

    @Test
    void should_report_whole_completions_when_not_streaming() {
        // given
        student.then(call("a <call>2</call>", 3)).then(eos(" c", 1));
        teacher.then(length("b", 2));
        Recorder recorder = new Recorder(false);

        // when
        loop().run(ask(), recorder);

        // then
        assertThat(student.streamingCalls()).isZero();
        assertThat(recorder.events).containsExactly("S:a ", "command <call>2</call> 2", "round 1 start 2", "T:b",
                "round 1 end", "S: c");
    }

    @Test
    void should_report_a_failed_round() {
        // given
        student.then(call("a <call>2</call>", 3)).then(eos("c", 1));
        teacher.thenFail(new IllegalStateException("down"));
        Recorder recorder = new Recorder(true);

        // when
        ChatResponse response = loop().run(ask(), recorder);

        // then
        assertThat(recorder.events).contains("round 1 end failed");
        assertThat(response.aiMessage().text()).isEqualTo("a c");
    }

    @Test
    void should_let_cancellation_pass_unchanged() {
        // given
        student.then(eos("a long answer", 3));
        Recorder cancelled = new Recorder(true) {
            @Override
            public boolean isCancelled() {
                return true;
            }
        };

        // then
        assertThatThrownBy(() -> loop().run(ask(), cancelled)).isExactlyInstanceOf(CancellationException.class);
    }
}
