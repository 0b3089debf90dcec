package io.github.relayllm.eval.data;

import io.github.relayllm.eval.grading.GoldCheck;
import io.github.relayllm.eval.grading.Grader;
import io.github.relayllm.eval.grading.GradingKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The public benchmark layouts, read from small fixtures of each (src/test/resources/layouts). */
class DatasetLayoutsTest {

    @TempDir
    Path dir;

    static Path layout(String name) {
        try {
            return Path.of(DatasetLayoutsTest.class.getResource("/layouts/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void should_read_olympiadbench_as_a_json_array_with_answer_lists() {
        // when
        Dataset dataset = Dataset.load(layout("olympiadbench.json"));

        // then
        assertThat(dataset.layout()).isEqualTo(DatasetRecords.Layout.JSON_ARRAY);
        assertThat(dataset.size()).isEqualTo(8);
        Problem first = dataset.problems().get(0);
        assertThat(first.id()).isEqualTo("2001");
        assertThat(first.answer().kind()).isEqualTo(GradingKind.MATH);
        assertThat(first.answer().answers()).containsExactly("$\\frac{1}{2 n+2}$");
        assertThat(first.goldSolution()).as("its solution is a list of steps without a final answer").isNull();
        Problem both = dataset.problems().get(2);
        assertThat(both.answer().allRequired()).isTrue();
        assertThat(both.reference()).isEqualTo("$2$, $-1$");
        assertThat(dataset.problems().get(4).answer().unit()).isEqualTo("cm");
        assertThat(Grader.grade("so \\boxed{\\frac{1}{2n+2}}", first.answer()).correct()).isTrue();
        assertThat(Grader.grade("so \\boxed{2}", both.answer()).correct()).isFalse();
    }

    @Test
    void should_read_big_bench_hard_examples_objects_as_exact_match() {
        // when
        Dataset dataset = Dataset.load(layout("bbh_date_understanding.json"));

        // then
        assertThat(dataset.layout()).isEqualTo(DatasetRecords.Layout.EXAMPLES_OBJECT);
        assertThat(dataset.problems()).extracting(Problem::reference).containsExactly("(A)", "(B)", "(C)");
        assertThat(dataset.problems()).extracting(Problem::id).containsExactly("0", "1", "2");
        Problem first = dataset.problems().get(0);
        assertThat(first.question()).startsWith("Today is 3/5/2020.");
        assertThat(first.answer().kind()).isEqualTo(GradingKind.EXACT);
        assertThat(Grader.grade("So the answer is (A).", first.answer()).correct()).isTrue();
        assertThat(Grader.grade("So the answer is (B).", first.answer()).correct()).isFalse();
    }

    @Test
    void should_read_numbers_and_padded_strings_as_amc_and_aime_write_them() {
        // when
        Dataset amc = Dataset.load(layout("amc.jsonl"));
        Dataset aime = Dataset.load(layout("aime.jsonl"));

        // then
        assertThat(amc.problems().get(0).reference()).isEqualTo("27.0");
        assertThat(Grader.grade("\\boxed{27}", amc.problems().get(0).answer()).correct()).isTrue();
        assertThat(aime.problems().get(0).reference()).isEqualTo("025");
        assertThat(Grader.grade("\\boxed{25}", aime.problems().get(0).answer()).correct()).isTrue();
        assertThat(aime.problems().get(0).goldSolution()).as("a solution without a final answer").isNull();
        assertThat(aime.problems().get(4).goldSolution()).contains("\\boxed{999}");
    }

    @Test
    void should_read_mmlu_pro_as_multiple_choice_with_the_options_in_the_question() {
        // when
        Dataset dataset = Dataset.load(layout("mmlu_pro.jsonl"));

        // then
        Problem first = dataset.problems().get(0);
        assertThat(first.id()).isEqualTo("70");
        assertThat(first.answer().kind()).isEqualTo(GradingKind.CHOICE);
        assertThat(first.answer().options()).hasSize(10);
        assertThat(first.reference()).isEqualTo("C");
        assertThat(first.question()).startsWith("What is 3 times 4?").contains("\n(C) 12\n").endsWith("(J) 40");
        assertThat(Grader.grade("The answer is (C).", first.answer()).correct()).isTrue();
        assertThat(Grader.grade("The answer is 12.", first.answer()).correct()).isTrue();
    }

    @Test
    void should_take_the_answer_index_when_the_flag_names_it() {
        // when
        Dataset byLetter = Dataset.load(layout("mmlu_pro.jsonl"));
        Dataset byIndex = Dataset.load(layout("mmlu_pro.jsonl"), new DatasetFormat(null, "answer_index", null));

        // then
        assertThat(byIndex.problems()).extracting(Problem::reference)
                .containsExactlyElementsOf(byLetter.problems().stream().map(Problem::reference).toList());
    }

    @Test
    void should_let_the_grading_flag_win_over_the_layout() {
        // when
        Dataset dataset = Dataset.load(layout("bbh_multistep_arithmetic_two.json"),
                new DatasetFormat(null, null, null, GradingKind.MATH));

        // then
        Problem first = dataset.problems().get(0);
        assertThat(first.answer().kind()).isEqualTo(GradingKind.MATH);
        assertThat(Grader.grade("\\boxed{-12}", first.answer()).correct()).isTrue();
    }

    @Test
    void should_read_minerva_references_from_the_solutions_last_box() {
        // when
        Dataset dataset = Dataset.load(layout("minerva_math.jsonl"));

        // then
        assertThat(dataset.problems()).extracting(Problem::reference)
                .containsExactly("60", "1", "\\frac{1}{4}", "2t+1", "3");
        assertThat(dataset.problems()).extracting(Problem::id).containsExactly("0", "1", "2", "3", "4");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"olympiadbench.json", "amc.jsonl", "aime.jsonl", "minerva_math.jsonl", "mmlu_pro.jsonl",
            "bbh_boolean_expressions.json", "bbh_date_understanding.json", "bbh_formal_fallacies.json",
            "bbh_multistep_arithmetic_two.json"})
    void should_grade_every_gold_answer_right_and_every_shuffled_one_wrong(String file) {
        // given
        List<Problem> problems = Dataset.load(layout(file)).problems();

        // when
        GoldCheck.Result result = GoldCheck.run(problems, 1);

        // then
        assertThat(result.gold()).filteredOn(pair -> !pair.correct()).isEmpty();
        assertThat(result.shuffled()).filteredOn(GoldCheck.Pair::correct).isEmpty();
        assertThat(result.goldCorrect()).isEqualTo(problems.size());
    }

    @Test
    void should_refuse_a_dataset_whose_references_are_all_empty_naming_the_field() throws Exception {
        // given
        Path file = dir.resolve("empty.jsonl");
        Files.writeString(file, "{\"question\":\"a\",\"final_answer\":[]}\n{\"question\":\"b\",\"final_answer\":[\"\"]}\n");

        // when / then
        assertThatThrownBy(() -> Dataset.load(file)).hasMessageContaining("'final_answer'")
                .hasMessageContaining("--answer-field");
    }

    @Test
    void should_name_the_element_of_a_json_array_that_is_no_object() throws Exception {
        // given
        Path file = dir.resolve("array.json");
        Files.writeString(file, "[{\"question\":\"a\",\"answer\":\"1\"}, 7]");

        // when / then
        assertThatThrownBy(() -> Dataset.load(file)).hasMessageContaining("element 1 is not a JSON object");
    }

    @Test
    void should_read_a_one_line_jsonl_file_and_a_pretty_printed_array_alike() throws Exception {
        // given
        Path line = dir.resolve("one.jsonl");
        Files.writeString(line, "{\"question\":\"a\",\"answer\":\"#### 4\"}\n");
        Path array = dir.resolve("one.json");
        Files.writeString(array, "[\n  {\n    \"question\": \"a\",\n    \"answer\": \"#### 4\"\n  }\n]\n");

        // when
        Dataset fromLine = Dataset.load(line);
        Dataset fromArray = Dataset.load(array);

        // then
        assertThat(fromLine.layout()).isEqualTo(DatasetRecords.Layout.JSON_LINES);
        assertThat(fromArray.layout()).isEqualTo(DatasetRecords.Layout.JSON_ARRAY);
        assertThat(fromLine.problems().get(0).reference()).isEqualTo(fromArray.problems().get(0).reference())
                .isEqualTo("4");
    }
}
