package io.github.relayllm.eval.grading;

import io.github.relayllm.eval.data.Dataset;
import io.github.relayllm.eval.data.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Math grading as OlympiadBench, AMC and AIME mean it, through the dataset reader: each case's answer field (a JSON
 * list of LaTeX strings, a number or a padded string) with its {@code is_multiple_answer} and {@code unit} is read
 * from a one-record dataset and the output graded against it.
 */
class MathReferenceGradingTest {

    private static final String CASES = "/grading/olympiad_cases.tsv";

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return GradingCases.read(CASES, 5).stream()
                .map(row -> Arguments.of(row[0].equals("T"), row[1], row[2], row[3].equals("T"),
                        row[4].equals("-") ? null : row[4]));
    }

    @ParameterizedTest(name = "[{index}] {1} vs {2} (multiple {3}, unit {4}) -> {0}")
    @MethodSource("cases")
    void should_grade_math_answers_of_every_layout_by_value(boolean correct, String output, String answerJson,
                                                            boolean multiple, String unit) throws Exception {
        // given
        Path file = dir.resolve("case.jsonl");
        Files.writeString(file, "{\"question\":\"q\",\"final_answer\":" + answerJson + ",\"is_multiple_answer\":"
                + multiple + ",\"unit\":" + (unit == null ? "null" : "\"" + unit + "\"") + "}\n");
        Problem problem = Dataset.load(file).problems().get(0);

        // when
        Grader.Grade grade = Grader.grade(output, problem.answer());

        // then
        assertThat(grade.correct()).as("'%s' vs %s (read as %s, extracted %s)", output, answerJson,
                problem.answer(), grade.extracted()).isEqualTo(correct);
    }

    @Test
    void should_have_at_least_fifty_cases_with_both_outcomes() {
        // given
        var rows = GradingCases.read(CASES, 5);

        // when
        long correct = rows.stream().filter(row -> row[0].equals("T")).count();

        // then
        assertThat(rows).hasSizeGreaterThanOrEqualTo(50);
        assertThat(correct).isBetween(20L, rows.size() - 20L);
    }
}
