package io.github.relayllm.eval.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatasetTest {

    @TempDir
    Path dir;

    @Test
    void should_read_the_gsm8k_layout_numbering_records_from_zero() throws Exception {
        // given
        Path file = dir.resolve("gsm8k.jsonl");
        Files.writeString(file, "{\"question\":\"How many?\",\"answer\":\"3+4=<<3+4=7>>7\\n#### 1,007\"}\n\n"
                + "{\"question\":\"And now?\",\"answer\":\"#### 5\"}\n");

        // when
        Dataset dataset = Dataset.load(file);

        // then
        assertThat(dataset.problems()).extracting(Problem::id).containsExactly("0", "1");
        assertThat(dataset.problems().get(0).question()).isEqualTo("How many?");
        assertThat(dataset.problems().get(0).reference()).isEqualTo("1,007");
        assertThat(dataset.problems().get(1).reference()).isEqualTo("5");
    }

    @Test
    void should_read_the_math_layout_with_its_unique_id() throws Exception {
        // given
        Path file = dir.resolve("math.jsonl");
        Files.writeString(file, "{\"problem\":\"Find x.\",\"solution\":\"so $\\\\boxed{\\\\frac{1}{2}}$\","
                + "\"answer\":\"\\\\frac{1}{2}\",\"unique_id\":\"test/algebra/1.json\"}\n");

        // when
        Problem problem = Dataset.load(file).problems().get(0);

        // then
        assertThat(problem.id()).isEqualTo("test/algebra/1.json");
        assertThat(problem.reference()).isEqualTo("\\frac{1}{2}");
        assertThat(problem.goldSolution()).isEqualTo("so $\\boxed{\\frac{1}{2}}$");
    }

    @Test
    void should_use_fields_named_by_the_user() throws Exception {
        // given
        Path file = dir.resolve("custom.jsonl");
        Files.writeString(file, "{\"q\":\"2+2?\",\"target\":4,\"key\":\"a\"}\n{\"q\":\"3+3?\",\"target\":6,\"key\":\"b\"}\n");

        // when
        Dataset dataset = Dataset.load(file, new DatasetFormat("q", "target", "key"));

        // then
        assertThat(dataset.problems()).extracting(Problem::id).containsExactly("a", "b");
        assertThat(dataset.problems()).extracting(Problem::reference).containsExactly("4", "6");
    }

    @Test
    void should_name_the_flag_to_set_when_fields_are_missing() throws Exception {
        // given
        Path file = dir.resolve("odd.jsonl");
        Files.writeString(file, "{\"text\":\"2+2?\",\"answer\":\"4\"}\n");

        // when / then
        assertThatThrownBy(() -> Dataset.load(file)).hasMessageContaining("--question-field")
                .hasMessageContaining("[text, answer]");
        assertThatThrownBy(() -> Dataset.load(file, new DatasetFormat("text", "gold", null)))
                .hasMessageContaining("no field 'gold'");
        assertThatThrownBy(() -> Dataset.load(dir.resolve("missing.jsonl"))).hasMessageContaining("file not found");
    }

    @Test
    void should_refuse_duplicate_ids() throws Exception {
        // given
        Path file = dir.resolve("dup.jsonl");
        Files.writeString(file, "{\"id\":1,\"question\":\"a\",\"answer\":\"1\"}\n{\"id\":1,\"question\":\"b\",\"answer\":\"2\"}\n");

        // when / then
        assertThatThrownBy(() -> Dataset.load(file)).hasMessageContaining("id '1' twice");
    }
}
