package io.github.relayllm.eval.grading;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class MultipleChoiceTest {

    private static final String CASES = "/grading/choice_cases.tsv";

    static Stream<Arguments> cases() {
        return GradingCases.read(CASES, 4).stream()
                .map(row -> Arguments.of(row[0].equals("T"), row[1], row[2], Arrays.asList(row[3].split("\\|"))));
    }

    @ParameterizedTest(name = "[{index}] {1} vs {2} -> {0}")
    @MethodSource("cases")
    void should_grade_the_chosen_option_by_letter_or_text(boolean correct, String output, String letter,
                                                          List<String> options) {
        // given an output, the reference letter and the options from the case file

        // when
        Grader.Grade grade = Grader.grade(output, new ReferenceAnswer(GradingKind.CHOICE, List.of(letter), false, null,
                options));

        // then
        assertThat(grade.correct()).as("'%s' vs %s of %s (extracted %s)", output, letter, options, grade.extracted())
                .isEqualTo(correct);
    }

    @Test
    void should_have_at_least_fifty_cases_with_both_outcomes_and_ten_option_questions() {
        // given
        var rows = GradingCases.read(CASES, 4);

        // when
        long correct = rows.stream().filter(row -> row[0].equals("T")).count();
        long tenOptions = rows.stream().filter(row -> row[3].split("\\|").length == 10).count();

        // then
        assertThat(rows).hasSizeGreaterThanOrEqualTo(50);
        assertThat(correct).isBetween(20L, rows.size() - 20L);
        assertThat(tenOptions).isGreaterThanOrEqualTo(40);
    }

    @Test
    void should_report_the_chosen_letter_as_the_extracted_answer() {
        // given
        ReferenceAnswer reference = new ReferenceAnswer(GradingKind.CHOICE, List.of("B"), false, null,
                List.of("cat", "dog", "cow"));

        // when
        Grader.Grade byText = Grader.grade("The answer is dog.", reference);
        Grader.Grade wrong = Grader.grade("The answer is (C).", reference);

        // then
        assertThat(byText.extracted()).contains("B");
        assertThat(byText.correct()).isTrue();
        assertThat(wrong.extracted()).contains("C");
        assertThat(wrong.correct()).isFalse();
    }
}
