package io.github.relayllm.eval.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** grade and grade-gold on the public benchmark layouts (fixtures in src/test/resources/layouts). */
class LayoutCommandsTest {

    @TempDir
    Path dir;

    private static String layout(String name) {
        try {
            return Path.of(LayoutCommandsTest.class.getResource("/layouts/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void should_grade_olympiadbench_predictions_that_box_their_own_reference_all_correct() throws Exception {
        // given each prediction is its reference inside \boxed{}, as the 0-of-675 report had it
        Path predictions = dir.resolve("predictions.jsonl");
        Files.writeString(predictions, """
                {"id": 2001, "output": "So \\\\boxed{\\\\frac{1}{2 n+2}}"}
                {"id": 2002, "output": "\\\\boxed{(1,8,19), (2,7,13), (4,5,7)}"}
                {"id": 2003, "output": "\\\\boxed{2, -1}"}
                {"id": 2004, "output": "\\\\boxed{[-2,2]}"}
                {"id": 2005, "output": "\\\\boxed{4 \\\\mathrm{~cm}}"}
                {"id": 2006, "output": "\\\\boxed{1024}"}
                {"id": 2007, "output": "\\\\boxed{7}"}
                {"id": 2008, "output": "\\\\boxed{(-\\\\infty, 3)}"}
                """);

        // when
        CommandRun result = CommandRun.execute("grade", "--dataset", layout("olympiadbench.json"),
                "--answer-field", "final_answer", "--predictions", predictions.toString());

        // then
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("accuracy: 100.00% (8/8)");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void should_warn_when_no_prediction_holds_a_final_answer() throws Exception {
        // given
        Path predictions = dir.resolve("predictions.jsonl");
        Files.writeString(predictions, "{\"id\": 0, \"text\": \"\\\\boxed{27}\"}\n");

        // when
        CommandRun result = CommandRun.execute("grade", "--dataset", layout("amc.jsonl"), "--predictions",
                predictions.toString());

        // then
        assertThat(result.out()).contains("accuracy: 0.00% (0/1)");
        assertThat(result.err()).contains("warning: no prediction holds a final answer").contains("--output-field");
    }

    @Test
    void should_check_amc_and_aime_references_written_the_usual_ways() {
        // when
        CommandRun amc = CommandRun.execute("grade-gold", "--dataset", layout("amc.jsonl"));
        CommandRun aime = CommandRun.execute("grade-gold", "--dataset", layout("aime.jsonl"));

        // then
        assertThat(amc.exitCode()).isZero();
        assertThat(amc.out()).contains("gold answers: 0 solution texts; 5 references without one")
                .contains("\\boxed{27}").contains("gold solutions graded correct: 5/5 = 100.00%")
                .contains("shuffled pairing (seed 1) graded wrong: 5/5 = 100.00%");
        assertThat(aime.out()).contains("gold answers: 1 solution texts; 4 references without one")
                .contains("\\boxed{25}").contains("gold solutions graded correct: 5/5 = 100.00%");
    }

    @Test
    void should_check_gold_answers_of_multiple_choice_and_big_bench_hard() {
        // when
        CommandRun mmlu = CommandRun.execute("grade-gold", "--dataset", layout("mmlu_pro.jsonl"));
        CommandRun bbh = CommandRun.execute("grade-gold", "--dataset", layout("bbh_formal_fallacies.json"));

        // then
        assertThat(mmlu.out()).contains("gold solutions graded correct: 6/6 = 100.00%")
                .contains("shuffled pairing (seed 1) graded wrong: 6/6 = 100.00%");
        assertThat(bbh.out()).contains("gold solutions graded correct: 2/2 = 100.00%")
                .contains("shuffled pairing (seed 1) graded wrong: 2/2 = 100.00%");
    }

    @Test
    void should_name_the_field_when_every_reference_is_empty() throws Exception {
        // given
        Path dataset = dir.resolve("data.jsonl");
        Files.writeString(dataset, "{\"question\":\"a\",\"final_answer\":[\"\"],\"answer\":\"\"}\n");

        // when
        CommandRun result = CommandRun.execute("grade-gold", "--dataset", dataset.toString());

        // then
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("relay-eval grade-gold:").contains("'answer'").contains("--answer-field")
                .doesNotContain("Exception");
    }

    @Test
    void should_refuse_to_filter_a_dataset_that_is_not_json_lines() {
        // when
        CommandRun result = CommandRun.execute("filter", "--dataset", layout("olympiadbench.json"), "--results",
                dir.resolve("teacher.jsonl").toString(), "--output", dir.resolve("kept.jsonl").toString());

        // then
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("is not JSON Lines").contains("convert it to one JSON object per line");
    }
}
