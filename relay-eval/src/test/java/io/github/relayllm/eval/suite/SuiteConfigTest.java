package io.github.relayllm.eval.suite;

import io.github.relayllm.eval.grading.GradingKind;
import io.github.relayllm.eval.run.EvalMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SuiteConfigTest {

    @TempDir
    Path dir;

    private Path config(String json) throws Exception {
        Path file = dir.resolve("suite.json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void should_read_datasets_modes_and_a_few_shot_prompt_without_its_canary() throws Exception {
        // given
        Path fewShot = dir.resolve("cot.txt");
        Files.writeString(fewShot, "CANARY line: not data\n-----\nSolve it.\n\nQ: 1 is\nA: Let's think step by step. "
                + "So the answer is 1.\n");
        Path file = config("{\"output_dir\": \"out\", \"limit\": 3, \"concurrency\": 4, \"modes\": [\"student\", "
                + "\"relay\", \"confidence:0.9:2\"], \"datasets\": [{\"name\": \"GSM8K\", \"file\": \"g.jsonl\"}, "
                + "{\"name\": \"BBH dyck\", \"file\": \"d.json\", \"few_shot\": \"" + fewShot + "\", "
                + "\"grading\": \"exact\", \"group\": \"out-of-domain\"}]}");

        // when
        SuiteConfig config = SuiteConfig.read(file);

        // then
        assertThat(config.outputDir()).isEqualTo(Path.of("out"));
        assertThat(config.limit()).isEqualTo(3);
        assertThat(config.concurrency()).isEqualTo(4);
        assertThat(config.datasets()).extracting(SuiteConfig.SuiteDataset::slug).containsExactly("gsm8k", "bbh-dyck");
        assertThat(config.datasets().get(0).promptTemplate()).isEqualTo("{question}");
        assertThat(config.datasets().get(0).group()).isEqualTo("math");
        SuiteConfig.SuiteDataset bbh = config.datasets().get(1);
        assertThat(bbh.format().grading()).isEqualTo(GradingKind.EXACT);
        assertThat(bbh.promptTemplate()).isEqualTo("Solve it.\n\nQ: 1 is\nA: Let's think step by step. So the answer "
                + "is 1.\n\nQ: {question}\nA: Let's think step by step.");
        assertThat(config.modes()).extracting(SuiteConfig.SuiteMode::mode)
                .containsExactly(EvalMode.STUDENT, EvalMode.RELAY, EvalMode.RELAY);
        SuiteConfig.SuiteMode confidence = config.modes().get(2);
        assertThat(confidence.confidence()).isTrue();
        assertThat(confidence.policy().name()).startsWith("confidence:0.9");
        assertThat(confidence.slug()).isEqualTo("confidence-0.9-2");
        assertThat(config.results(bbh, confidence)).isEqualTo(Path.of("out", "bbh-dyck", "confidence-0.9-2.jsonl"));
        assertThat(config.backends().teacher()).isEqualTo("embedded:tiny-teacher.gguf");
    }

    @Test
    void should_run_the_four_setups_when_no_modes_are_named() throws Exception {
        // when
        SuiteConfig config = SuiteConfig.read(config("{\"datasets\": [{\"name\": \"a\", \"file\": \"a.jsonl\"}]}"));

        // then
        assertThat(config.modes()).extracting(SuiteConfig.SuiteMode::name)
                .containsExactly("student", "teacher", "relay", "teacher-free");
        assertThat(config.outputDir()).isEqualTo(Path.of("results/suite"));
    }

    @Test
    void should_name_what_to_fix_in_a_bad_config() throws Exception {
        assertThatThrownBy(() -> SuiteConfig.read(config("{\"datasets\": []}")))
                .hasMessageContaining("needs \"datasets\"");
        assertThatThrownBy(() -> SuiteConfig.read(config("{\"datasets\": [{\"file\": \"a.jsonl\"}]}")))
                .hasMessageContaining("needs a \"name\" and a \"file\"");
        assertThatThrownBy(() -> SuiteConfig.read(config("{\"dataset\": [{\"name\": \"a\", \"file\": \"a\"}]}")))
                .hasMessageContaining("unknown field \"dataset\"");
        assertThatThrownBy(() -> SuiteConfig.read(config("{\"datasets\": [{\"name\": \"a\", \"file\": \"a\", "
                + "\"prompt\": \"x\"}]}"))).hasMessageContaining("dataset 'a' has the unknown field \"prompt\"");
        assertThatThrownBy(() -> SuiteConfig.read(config("{\"datasets\": [{\"name\": \"a\", \"file\": \"a\", "
                + "\"prompt_template\": \"no slot\"}]}"))).hasMessageContaining("must contain {question}");
        assertThatThrownBy(() -> SuiteConfig.read(config("{\"modes\": [\"studnet\"], \"datasets\": "
                + "[{\"name\": \"a\", \"file\": \"a\"}]}"))).hasMessageContaining("unknown mode 'studnet'");
        assertThatThrownBy(() -> SuiteConfig.read(config("{\"datasets\": [{\"name\": \"a\", \"file\": \"a\"}, "
                + "{\"name\": \"A\", \"file\": \"b\"}]}"))).hasMessageContaining("twice");
        assertThatThrownBy(() -> SuiteConfig.read(config("{\"datasets\": [{\"name\": \"a\", \"file\": \"a\", "
                + "\"few_shot\": \"missing.txt\"}]}"))).hasMessageContaining("few-shot prompt not found: missing.txt");
        assertThatThrownBy(() -> SuiteConfig.read(config("{\"limit\": \"ten\", \"datasets\": [{\"name\": \"a\", "
                + "\"file\": \"a\"}]}"))).hasMessageContaining("\"limit\" must be a whole number");
        assertThatThrownBy(() -> SuiteConfig.read(dir.resolve("none.json"))).hasMessageContaining("not found");
    }
}
