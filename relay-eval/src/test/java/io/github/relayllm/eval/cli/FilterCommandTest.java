package io.github.relayllm.eval.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.relayllm.eval.data.JsonLines;
import io.github.relayllm.eval.run.ResultRecord;
import io.github.relayllm.eval.run.ResultsFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FilterCommandTest {

    /** GSM8K layout without ids (ids are record numbers), a blank line, extra fields, odd spellings. */
    private static final List<String> DATASET = List.of(
            "{\"question\": \"q0 caf\\u00e9\", \"answer\": \"so\\n#### 10\", \"level\": 1.50}",
            "{\"question\":\"q1\",\"answer\":\"#### 11\",\"tags\":[\"x\",{\"y\":null}]}",
            "",
            "{\"question\":\"q2\",\"answer\":\"#### 12\",\"big\":12345678901234567890}",
            "{\"answer\":\"#### 13\",\"question\":\"q3\"}",
            "{\"question\":\"q4\",\"answer\":\"#### 14\"}");

    @TempDir
    Path dir;

    private static ResultRecord sample(int problem, int sample, boolean correct) {
        String reference = String.valueOf(10 + problem);
        return new ResultRecord(String.valueOf(problem), sample, "teacher", null, "big", "q", "o", "?", reference,
                correct, 0, 30, 0, 20, 0, 0, 5, 5, 1.0, "TEACHER_EOS", null);
    }

    private static ResultRecord errored(int problem, int sample) {
        return new ResultRecord(String.valueOf(problem), sample, "teacher", null, "big", "q", null, null,
                String.valueOf(10 + problem), false, 0, 0, 0, 0, 0, 0, 0, 5, 0, "ERROR", "IOException: refused");
    }

    /** Ten samples of each problem, the first failures[p] of problem p wrong, written in a shuffled order. */
    private Path results(List<ResultRecord> extra, int... failures) {
        List<ResultRecord> records = new ArrayList<>();
        for (int p = 0; p < failures.length; p++) {
            for (int s = 0; s < 10; s++) {
                records.add(sample(p, s, s >= failures[p]));
            }
        }
        Collections.shuffle(records, new Random(3));
        records.addAll(extra);
        Path file = dir.resolve("teacher-pass10.jsonl");
        try (ResultsFile.Writer writer = new ResultsFile(file).openForAppend()) {
            records.forEach(writer::append);
        }
        return file;
    }

    private Path dataset() throws Exception {
        Path file = dir.resolve("pool.jsonl");
        Files.writeString(file, String.join("\n", DATASET) + "\n");
        return file;
    }

    @Test
    void should_keep_problems_failed_in_fewer_than_5_of_10_in_dataset_order_with_their_lines_and_teacher_fields()
            throws Exception {
        // given: failures 0, 5 (dropped), 4 (kept), 10 (dropped), 1
        Path results = results(List.of(), 0, 5, 4, 10, 1);
        Path output = dir.resolve("out/filtered.jsonl");

        // when
        CommandRun result = CommandRun.execute("filter", "--dataset", dataset().toString(), "--results", results.toString(),
                "--output", output.toString());

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("problems 5, kept 3, dropped 2 (failed 5 or more of 10), missing 0 "
                + "(no samples 0, errored samples 0, too few samples 0); teacher passes of 10: "
                + "0:1 1:0 2:0 3:0 4:0 5:1 6:1 7:0 8:0 9:1 10:1");
        List<String> lines = Files.readAllLines(output);
        assertThat(lines).containsExactly(
                "{\"question\": \"q0 caf\\u00e9\", \"answer\": \"so\\n#### 10\", \"level\": 1.50,"
                        + "\"teacher_passes\":10,\"teacher_samples\":10,\"teacher_pass_rate\":1.0}",
                "{\"question\":\"q2\",\"answer\":\"#### 12\",\"big\":12345678901234567890,"
                        + "\"teacher_passes\":6,\"teacher_samples\":10,\"teacher_pass_rate\":0.6}",
                "{\"question\":\"q4\",\"answer\":\"#### 14\","
                        + "\"teacher_passes\":9,\"teacher_samples\":10,\"teacher_pass_rate\":0.9}");
        JsonNode first = JsonLines.mapper().readTree(lines.get(0));
        assertThat(first.get("question").asText()).isEqualTo("q0 café");
        assertThat(first.get("answer").asText()).isEqualTo("so\n#### 10");
        assertThat(first.get("teacher_pass_rate").asDouble()).isEqualTo(1.0);
    }

    @Test
    void should_keep_a_problem_failed_in_5_of_10_when_max_failures_is_5() throws Exception {
        // given
        Path results = results(List.of(), 0, 5, 4, 10, 1);
        Path output = dir.resolve("filtered.jsonl");

        // when
        CommandRun result = CommandRun.execute("filter", "--dataset", dataset().toString(), "--results", results.toString(),
                "--output", output.toString(), "--max-failures", "5");

        // then
        assertThat(result.out()).contains("kept 4, dropped 1 (failed 6 or more of 10)");
        assertThat(Files.readAllLines(output)).extracting(line -> JsonLines.mapper().readTree(line).get("question")
                .asText()).containsExactly("q0 café", "q1", "q2", "q4");
    }

    @Test
    void should_refuse_problems_without_samples_naming_them_and_write_nothing() throws Exception {
        // given: problems 3 and 4 never ran
        Path results = results(List.of(), 0, 5, 4);
        Path output = dir.resolve("filtered.jsonl");

        // when
        CommandRun result = CommandRun.execute("filter", "--dataset", dataset().toString(), "--results", results.toString(),
                "--output", output.toString());

        // then
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("relay-eval filter: 2 of 5 problems have fewer than 10 graded samples")
                .contains("no samples 2, errored samples 0, too few samples 0; ids 3, 4")
                .contains("--allow-missing");
        assertThat(output).doesNotExist();
    }

    @Test
    void should_refuse_errored_samples_by_default_and_leave_them_out_with_allow_missing() throws Exception {
        // given: problem 3 failed sample 7 after all; problem 4 has only 9 samples; a failed sample 2 of
        // problem 0 was run again successfully (its latest record counts)
        Path dataset = dataset();
        List<ResultRecord> extra = List.of(errored(3, 7));
        Path results = results(extra, 0, 0, 0, 0);
        try (ResultsFile.Writer writer = new ResultsFile(results).openForAppend()) {
            for (int s = 0; s < 9; s++) {
                writer.append(sample(4, s, true));
            }
            writer.append(errored(0, 2));
            writer.append(sample(0, 2, true));
        }
        Path output = dir.resolve("filtered.jsonl");

        // when
        CommandRun refused = CommandRun.execute("filter", "--dataset", dataset.toString(), "--results", results.toString(),
                "--output", output.toString());
        CommandRun allowed = CommandRun.execute("filter", "--dataset", dataset.toString(), "--results", results.toString(),
                "--output", output.toString(), "--allow-missing");

        // then
        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("2 of 5 problems have fewer than 10 graded samples")
                .contains("no samples 0, errored samples 1, too few samples 1; ids 3, 4");
        assertThat(allowed.exitCode()).isZero();
        assertThat(allowed.out()).contains("problems 5, kept 3, dropped 0 (failed 5 or more of 10), missing 2 "
                        + "(no samples 0, errored samples 1, too few samples 1)")
                .contains("left out, fewer than 10 graded samples: 3, 4");
        assertThat(Files.readAllLines(output)).extracting(line -> JsonLines.mapper().readTree(line).get("question")
                .asText()).containsExactly("q0 café", "q1", "q2");
    }

    @Test
    void should_filter_only_the_first_problems_with_limit() throws Exception {
        // given
        Path results = results(List.of(), 3, 7);
        Path output = dir.resolve("filtered.jsonl");

        // when
        CommandRun result = CommandRun.execute("filter", "--dataset", dataset().toString(), "--results", results.toString(),
                "--output", output.toString(), "--limit", "2");

        // then
        assertThat(result.out()).contains("problems 2, kept 1, dropped 1");
        assertThat(Files.readAllLines(output)).hasSize(1);
    }

    @Test
    void should_refuse_results_of_another_mode() throws Exception {
        // given
        Path results = dir.resolve("relay.jsonl");
        try (ResultsFile.Writer writer = new ResultsFile(results).openForAppend()) {
            writer.append(new ResultRecord("0", 0, "relay", "small", "big", "q", "o", "10", "10", true,
                    5, 5, 10, 10, 1, 1, 1, 2, 0.5, "STUDENT_DONE", null));
        }

        // when
        CommandRun result = CommandRun.execute("filter", "--dataset", dataset().toString(), "--results", results.toString(),
                "--output", dir.resolve("filtered.jsonl").toString());

        // then
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("holds mode [relay]").contains("--mode teacher");
    }

    @Test
    void should_refuse_to_overwrite_the_dataset() throws Exception {
        // given
        Path dataset = dataset();

        // when
        CommandRun result = CommandRun.execute("filter", "--dataset", dataset.toString(), "--results",
                results(List.of(), 0).toString(), "--output", dataset.toString());

        // then
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("would overwrite an input");
        assertThat(Files.readString(dataset)).isEqualTo(String.join("\n", DATASET) + "\n");
    }
}
