package io.github.relayllm.eval.it;

import io.github.relayllm.eval.cli.RelayEvalCommandAccess;
import io.github.relayllm.eval.data.JsonLines;
import io.github.relayllm.eval.run.ResultRecord;
import io.github.relayllm.eval.run.ResultsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end on the project's embedded tiny models (models/ of this clone, named by the failsafe system property
 * relay.models.dir): the command line runs the relay on the smoke problems, resumes, and reports numbers that match
 * the per-problem file.
 */
class EmbeddedPairIT {

    @TempDir
    Path dir;

    @Test
    void should_run_resume_and_report_the_relay_on_the_tiny_models() throws Exception {
        // given
        Path models = Path.of(System.getProperty("relay.models.dir", "../models"));
        assertThat(models.resolve("tiny-relay-student.gguf")).as("models/tiny-relay-student.gguf").exists();
        assertThat(models.resolve("tiny-teacher.gguf")).as("models/tiny-teacher.gguf").exists();
        Path dataset = models.resolve("data/smoke.jsonl");
        Path results = dir.resolve("relay.jsonl");

        // when: a run of 3 problems, then the same command for 6 (resume)
        int first = RelayEvalCommandAccess.execute("run", "--dataset", dataset.toString(), "--limit", "3", "--mode",
                "relay", "--max-tokens", "190", "--output", results.toString(), "--models-dir", models.toString());
        int second = RelayEvalCommandAccess.execute("run", "--dataset", dataset.toString(), "--limit", "6", "--mode",
                "relay", "--max-tokens", "190", "--output", results.toString(), "--models-dir", models.toString());
        int report = RelayEvalCommandAccess.execute("report", results.toString(), "--output-dir",
                dir.resolve("report").toString());

        // then
        assertThat(first).isZero();
        assertThat(second).isZero();
        assertThat(report).isZero();
        List<ResultRecord> records = List.copyOf(new ResultsFile(results).read().records());
        assertThat(records).extracting(ResultRecord::id).containsExactly("0", "1", "2", "3", "4", "5");
        for (ResultRecord record : records) {
            assertThat(record.studentModel()).isEqualTo("tiny-relay-student.gguf");
            assertThat(record.teacherModel()).isEqualTo("tiny-teacher.gguf");
            assertThat(record.studentTokens()).isPositive();
            assertThat(record.studentPromptTokens()).isPositive();
            assertThat(record.output()).isNotNull();
            assertThat(record.error()).isNull();
            assertThat(record.callRatio()).isEqualTo(record.generatedTokens() == 0 ? 0
                    : (double) record.teacherTokens() / record.generatedTokens());
        }
        long correct = records.stream().filter(ResultRecord::correct).count();
        long student = records.stream().mapToLong(ResultRecord::studentTokens).sum();
        long teacher = records.stream().mapToLong(ResultRecord::teacherTokens).sum();
        String markdown = Files.readString(dir.resolve("report/report.md"));
        assertThat(markdown).contains(String.format(Locale.ROOT, "| relay | relay | tiny-relay-student.gguf | "
                + "tiny-teacher.gguf | 6 | 6 | %.1f%% (%d/6) | - | %.1f%% | %.1f (%.1f + %.1f) |",
                100.0 * correct / 6, correct, 100.0 * teacher / (student + teacher), (student + teacher) / 6.0,
                student / 6.0, teacher / 6.0));
        assertThat(Files.size(dir.resolve("report/report.png"))).isPositive();
        assertThat(JsonLines.read(results)).hasSize(6);
    }
}
