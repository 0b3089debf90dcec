package io.github.relayllm.samples.quickstart;

import io.github.relayllm.langchain4j.RelayRole;
import io.github.relayllm.langchain4j.RelaySegment;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RelayQuickstartTest {

    @Test
    void should_answer_the_default_question_on_the_embedded_pair_with_a_stats_line() {
        // given
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RelayQuickstart.Options options = RelayQuickstart.Options.parse(new String[0]);

        // when
        RelayQuickstart.run(options, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

        // then
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("Q: " + RelayQuickstart.DEFAULT_QUESTION);
        // the tiny models get the arithmetic wrong (models/README.md): check the relay, not the sums
        assertThat(out).containsPattern("A: \\S");
        assertThat(out).containsPattern("student [1-9]\\d* tokens, teacher \\d+ tokens, call ratio \\d+\\.\\d%, rounds \\d+");
        assertThat(out).doesNotContain("<call>").doesNotContain("</call>").doesNotContain("\u001B[");
    }

    @Test
    void should_run_the_teacher_alone_with_no_student_tokens() {
        // given
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RelayQuickstart.Options options = RelayQuickstart.Options.parse(new String[] {"--mode", "teacher",
                "Ann has 120 pens. First she buys 30. Then she doubles them. How many now?"});

        // when
        RelayQuickstart.run(options, new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

        // then
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).containsPattern("student 0 tokens, teacher [1-9]\\d* tokens, call ratio 100\\.0%, rounds 1")
                .contains("A: [teacher: ");
    }

    @Test
    void should_mark_teacher_spans_with_brackets_or_colour() {
        // given
        List<RelaySegment> segments = List.of(
                new RelaySegment(RelayRole.STUDENT, "128+47=175\n", 10),
                new RelaySegment(RelayRole.TEACHER, "175-23=152\n", 11),
                new RelaySegment(RelayRole.STUDENT, "#### 152", 8));

        // when / then
        assertThat(RelayQuickstart.render(segments, false))
                .isEqualTo("128+47=175\n[teacher: 175-23=152\n]#### 152");
        assertThat(RelayQuickstart.render(segments, true))
                .isEqualTo("128+47=175\n\u001B[1;35m175-23=152\n\u001B[0m#### 152");
    }

    @Test
    void should_reject_unknown_options_and_modes_with_a_message_that_says_what_to_use() {
        assertThatThrownBy(() -> RelayQuickstart.Options.parse(new String[] {"--mode", "fast"}))
                .hasMessageContaining("use relay, student or teacher");
        assertThatThrownBy(() -> RelayQuickstart.Options.parse(new String[] {"--verbose"}))
                .hasMessageContaining("unknown option --verbose");
    }
}
