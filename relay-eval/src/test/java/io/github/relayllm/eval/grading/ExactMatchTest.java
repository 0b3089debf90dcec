package io.github.relayllm.eval.grading;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ExactMatchTest {

    private static final String CASES = "/grading/exact_cases.tsv";

    static Stream<Arguments> cases() {
        return GradingCases.read(CASES, 3).stream()
                .map(row -> Arguments.of(row[0].equals("T"), row[1].replace("⏎", "\n"), row[2]));
    }

    @ParameterizedTest(name = "[{index}] {1} vs {2} -> {0}")
    @MethodSource("cases")
    void should_grade_big_bench_hard_targets_by_normalised_exact_match(boolean correct, String output, String target) {
        // given an output and a Big-Bench Hard target from the case file

        // when
        Grader.Grade grade = Grader.grade(output, new ReferenceAnswer(GradingKind.EXACT, List.of(target), false, null,
                List.of()));

        // then
        assertThat(grade.correct()).as("'%s' vs '%s' (extracted %s)", output, target, grade.extracted())
                .isEqualTo(correct);
    }

    @Test
    void should_have_at_least_fifty_cases_with_both_outcomes() {
        // given
        var rows = GradingCases.read(CASES, 3);

        // when
        long correct = rows.stream().filter(row -> row[0].equals("T")).count();

        // then
        assertThat(rows).hasSizeGreaterThanOrEqualTo(50);
        assertThat(correct).isBetween(20L, rows.size() - 20L);
    }

    @Test
    void should_count_any_of_several_targets() {
        // given
        ReferenceAnswer reference = new ReferenceAnswer(GradingKind.EXACT, List.of("(B)", "Tuesday"), false, null,
                List.of());

        // when / then
        assertThat(Grader.grade("So the answer is Tuesday.", reference).correct()).isTrue();
        assertThat(Grader.grade("So the answer is (B).", reference).correct()).isTrue();
        assertThat(Grader.grade("So the answer is (A).", reference).correct()).isFalse();
    }
}
