package io.github.relayllm.eval.grading;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerExtractorTest {

    static Stream<Arguments> cases() {
        return GradingCases.read("/grading/extraction_cases.tsv", 2).stream()
                .map(row -> Arguments.of(row[0].replace("⏎", "\n"), row[1]));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("cases")
    void should_extract_the_final_answer(String output, String expected) {
        // given a model output from the case file

        // when
        Optional<String> extracted = AnswerExtractor.extract(output);

        // then
        if (expected.equals("<none>")) {
            assertThat(extracted).isEmpty();
        } else {
            assertThat(extracted).contains(expected);
        }
    }

    @Test
    void should_prefer_the_box_over_hashes_and_phrases() {
        // given
        String output = "The answer is 3.\n#### 4\nso \\boxed{5}";

        // when
        Optional<String> extracted = AnswerExtractor.extract(output);

        // then
        assertThat(extracted).contains("5");
    }

    @Test
    void should_grade_an_output_against_a_gsm8k_reference() {
        // given
        String reference = Grader.referenceAnswer("Natalia sold 48/2 = <<48/2=24>>24 clips.\n#### 1,072");

        // when
        Grader.Grade grade = Grader.grade("48+24=72\n#### 1072", reference);

        // then
        assertThat(reference).isEqualTo("1,072");
        assertThat(grade.extracted()).contains("1072");
        assertThat(grade.correct()).isTrue();
    }

    @Test
    void should_take_the_last_box_of_a_math_solution_as_reference() {
        assertThat(Grader.referenceAnswer("so $x=\\boxed{\\frac{1}{2}}$")).isEqualTo("\\frac{1}{2}");
        assertThat(Grader.referenceAnswer("\\left( 3, \\frac{\\pi}{2} \\right)")).isEqualTo("\\left( 3, \\frac{\\pi}{2} \\right)");
    }

    @Test
    void should_grade_an_output_without_an_answer_wrong() {
        // when
        Grader.Grade grade = Grader.grade("I do not know", "5");

        // then
        assertThat(grade.extracted()).isEmpty();
        assertThat(grade.correct()).isFalse();
    }
}
