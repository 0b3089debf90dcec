package io.github.relayllm.eval.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RelayEvalCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"run", "grade", "grade-gold", "report", "calibrate", "filter"})
    void should_print_help_for_every_command(String command) {
        // when
        CommandRun result = CommandRun.execute(command, "--help");

        // then
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Usage: relay-eval " + command);
    }

    @Test
    void should_grade_a_predictions_file_by_record_number() throws Exception {
        // given
        Path dataset = dir.resolve("data.jsonl");
        Files.writeString(dataset, "{\"question\":\"a\",\"answer\":\"#### 1,000\"}\n"
                + "{\"question\":\"b\",\"answer\":\"#### 7\"}\n{\"question\":\"c\",\"answer\":\"#### 3\"}\n");
        Path predictions = dir.resolve("predictions.jsonl");
        Files.writeString(predictions, "{\"id\":0,\"output\":\"so \\\\boxed{1000}\"}\n"
                + "{\"id\":1,\"output\":\"The answer is 8.\"}\n{\"id\":2,\"output\":\"#### 3\"}\n");

        // when
        CommandRun result = CommandRun.execute("grade", "--dataset", dataset.toString(), "--predictions", predictions.toString(),
                "--show-wrong", "5");

        // then
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("accuracy: 66.67% (2/3)").contains("wrong: id 1, reference [7], extracted [8]");
    }

    @Test
    void should_check_gold_solutions_and_write_both_pairings() throws Exception {
        // given
        Path dataset = dir.resolve("data.jsonl");
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            lines.append("{\"question\":\"q").append(i).append("\",\"answer\":\"work\\n#### ").append(i % 10).append("\"}\n");
        }
        Files.writeString(dataset, lines);
        Path shuffled = dir.resolve("shuffled.jsonl");

        // when
        CommandRun result = CommandRun.execute("grade-gold", "--dataset", dataset.toString(), "--write-shuffled", shuffled.toString());
        CommandRun graded = CommandRun.execute("grade", "--dataset", dataset.toString(), "--predictions", shuffled.toString());

        // then
        assertThat(result.out()).contains("gold solutions graded correct: 20/20 = 100.00%")
                .contains("shuffled pairing (seed 1) graded wrong: 20/20 = 100.00%");
        assertThat(graded.out()).contains("accuracy: 0.00% (0/20)");
    }

    @Test
    void should_report_bad_input_as_a_message_naming_it() {
        // when
        CommandRun result = CommandRun.execute("grade", "--dataset", dir.resolve("nope.jsonl").toString(), "--predictions", "p.jsonl");

        // then
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("relay-eval grade: file not found").contains("nope.jsonl");
    }

    private Path results(String name, String mode, boolean... correct) throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < correct.length; i++) {
            long student = mode.equals("teacher") ? 0 : 10;
            long teacher = mode.equals("student") || mode.equals("teacher-free") ? 0 : mode.equals("relay") ? 5 : 30;
            lines.append("{\"id\":\"").append(i).append("\",\"sample\":0,\"mode\":\"").append(mode)
                    .append("\",\"correct\":").append(correct[i]).append(",\"student_tokens\":").append(student)
                    .append(",\"teacher_tokens\":").append(teacher).append(",\"rounds\":")
                    .append(mode.equals("relay") ? 2 : 0).append("}\n");
        }
        Path file = dir.resolve(name);
        Files.writeString(file, lines);
        return file;
    }

    @Test
    void should_label_runs_given_as_label_equals_file_in_the_summary_table() throws Exception {
        // given: student 1/4, teacher 3/4; relay 2/4 at teacher share 5/15
        Path student = results("s.jsonl", "student", true, false, false, false);
        Path teacher = results("t.jsonl", "teacher", true, true, true, false);
        Path relay = results("r.jsonl", "relay", true, true, false, false);
        Path out = dir.resolve("report");

        // when
        CommandRun result = CommandRun.execute("report", "student alone=" + student, "teacher alone=" + teacher,
                "stage-2 relay=" + relay, relay.toString(), "--output-dir", out.toString());

        // then: same share 1/3 -> q = (1/3)·10 / ((2/3)·30 + (1/3)·10) = 1/7, accuracy 25% + 50%/7 = 32.1%;
        // equal accuracy q = 0.5 costs 15 teacher tokens against the relay's 5: reduction 66.7%
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("| student alone | 25.0% | 0.0% | 0.00 | - | - |\n"
                + "| teacher alone | 75.0% | 100.0% | 0.00 | - | - |\n"
                + "| stage-2 relay | 50.0% | 33.3% | 2.00 | 32.1% | 66.7% |\n"
                + "| r | 50.0% | 33.3% | 2.00 | 32.1% | 66.7% |\n");
    }

    @Test
    void should_refuse_a_results_argument_with_an_empty_label() {
        // when
        CommandRun result = CommandRun.execute("report", "=nope.jsonl", "--output-dir", dir.resolve("report").toString());

        // then
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("results argument '=nope.jsonl' has an empty label");
    }

    @Test
    void should_write_the_report_files() throws Exception {
        // given
        Path results = dir.resolve("student.jsonl");
        Files.writeString(results, "{\"id\":\"0\",\"sample\":0,\"mode\":\"student\",\"student_model\":\"s\",\"correct\":true,"
                + "\"student_tokens\":12,\"latency_ms\":5}\n{\"id\":\"1\",\"sample\":0,\"mode\":\"student\","
                + "\"student_model\":\"s\",\"correct\":false,\"student_tokens\":8,\"latency_ms\":3}\n");
        Path out = dir.resolve("report");

        // when
        CommandRun result = CommandRun.execute("report", results.toString(), "--output-dir", out.toString());

        // then
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("| student | student | s | - | 2 | 2 | 50.0% (1/2) |");
        assertThat(out.resolve("report.md")).exists();
        assertThat(out.resolve("report.png")).exists();
        assertThat(Files.readString(out.resolve("report.html"))).contains("data:image/png;base64,");
    }
}
