package io.github.relayllm.samples.streaming;

import io.github.relayllm.langchain4j.RelayStreamingChatLanguageModel;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.samples.ScriptedBackend;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static io.github.relayllm.samples.ScriptedBackend.call;
import static io.github.relayllm.samples.ScriptedBackend.eos;
import static io.github.relayllm.samples.ScriptedBackend.length;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayStreamingChatTest {

    private static final String QUESTION = "Ann has 120 pens. First she buys 30. Then she doubles them. How many now?";

    private static ByteArrayInputStream input(String lines) {
        return new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8));
    }

    /** A student that hands "120+30=150" to the teacher in the middle of its answer. */
    private static RelayStreamingChatLanguageModel.Builder scripted() {
        // two characters a piece, so that commands arrive split
        ScriptedBackend student = new ScriptedBackend("student", prompt -> prompt.endsWith("150\n")
                ? eos("150*2=300\n#### 300") : call("120+30=<call>5</call>"), 2);
        ScriptedBackend teacher = new ScriptedBackend("teacher", prompt -> length("150\n"), 2);
        return RelayStreamingChatLanguageModel.builder().student(student).teacher(teacher);
    }

    @Test
    void should_colour_the_teacher_span_as_the_answer_streams() {
        // given
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        // when
        RelayStreamingChat.chat(scripted(), input(QUESTION + "\n"), new PrintStream(bytes, true, StandardCharsets.UTF_8),
                true, false, false);

        // then
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("120+30=\u001B[1;35m150\n\u001B[0m150*2=300\n#### 300\n");
        assertThat(out).containsPattern("student \\d+ tokens, teacher \\d+ tokens, call ratio \\d+\\.\\d%, rounds 1, "
                + "finish STUDENT_DONE");
        assertThat(out).doesNotContain("<call").doesNotContain("call>");
    }

    @Test
    void should_mark_the_teacher_span_with_brackets_without_colour_and_answer_each_line() {
        // given
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        // when
        RelayStreamingChat.chat(scripted(), input(QUESTION + "\n" + QUESTION + "\n\nnot asked\n"),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), false, false, false);

        // then
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out.split("120\\+30=\\[teacher: 150\n]150\\*2=300\n#### 300", -1)).hasSize(3);
        assertThat(out).doesNotContain("\u001B[");
    }

    @Test
    void should_stream_an_answer_from_the_embedded_pair_without_commands() {
        // given
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RelayStreamingChat.Options options = RelayStreamingChat.Options.parse(new String[0]);

        // when
        try (CompletionBackend student = options.student.create();
             CompletionBackend teacher = options.teacher.create()) {
            RelayStreamingChat.chat(RelayStreamingChat.builder(student, teacher, options.embedded()),
                    input(QUESTION + "\n"), new PrintStream(bytes, true, StandardCharsets.UTF_8), false, false, false);
        }

        // then
        String out = bytes.toString(StandardCharsets.UTF_8);
        // the exact text depends on the CPU's floating point (README.md): check the relay, not the sums
        assertThat(out).containsPattern("^\\S").doesNotContain("<call>").doesNotContain("</call>");
        assertThat(out).containsPattern("student \\d+ tokens, teacher \\d+ tokens");
    }

    @Test
    void should_reject_unknown_options_saying_that_questions_come_from_the_input() {
        assertThatThrownBy(() -> RelayStreamingChat.Options.parse(new String[] {"What is 2+2?"}))
                .hasMessageContaining("questions are read from the input");
        assertThatThrownBy(() -> RelayStreamingChat.Options.parse(new String[] {"--student", "vllm:x"}))
                .hasMessageContaining("must start with ollama:, openai:, llama-cpp: or embedded:");
    }
}
