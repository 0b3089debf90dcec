package io.github.relayllm.eval.grading;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class MathEquivalenceTest {

    static Stream<Arguments> cases() {
        return GradingCases.read("/grading/equivalence_cases.tsv", 3).stream()
                .map(row -> Arguments.of(row[0].equals("T"), row[1], row[2]));
    }

    @ParameterizedTest(name = "[{index}] {1} vs {2} -> {0}")
    @MethodSource("cases")
    void should_judge_answers_equal_by_value_not_form(boolean same, String predicted, String reference) {
        // given a predicted answer and a reference from the case file

        // when
        boolean equivalent = MathEquivalence.equivalent(predicted, reference);

        // then
        assertThat(equivalent).as("'%s' vs '%s'", predicted, reference).isEqualTo(same);
    }

    @Test
    void should_have_at_least_a_hundred_cases_with_both_outcomes() {
        // given
        var rows = GradingCases.read("/grading/equivalence_cases.tsv", 3);

        // when
        long same = rows.stream().filter(row -> row[0].equals("T")).count();

        // then
        assertThat(rows).hasSizeGreaterThanOrEqualTo(100);
        assertThat(same).isBetween(50L, rows.size() - 40L);
    }

    @Test
    void should_be_symmetric_on_every_case() {
        // given
        var rows = GradingCases.read("/grading/equivalence_cases.tsv", 3);

        for (String[] row : rows) {
            // when
            boolean forward = MathEquivalence.equivalent(row[1], row[2]);
            boolean backward = MathEquivalence.equivalent(row[2], row[1]);

            // then
            assertThat(backward).as("'%s' vs '%s' both ways", row[1], row[2]).isEqualTo(forward);
        }
    }

    @Test
    void should_treat_null_and_blank_as_wrong() {
        assertThat(MathEquivalence.equivalent(null, "5")).isFalse();
        assertThat(MathEquivalence.equivalent("5", null)).isFalse();
        assertThat(MathEquivalence.equivalent("  ", "5")).isFalse();
    }
}
