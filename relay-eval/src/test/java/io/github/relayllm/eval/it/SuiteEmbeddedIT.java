package io.github.relayllm.eval.it;

import io.github.relayllm.eval.cli.RelayEvalCommandAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The suite end to end on the embedded tiny pair: one command runs three benchmark layouts under all five setups
 * (the confidence relay on the pure-Java engine) and writes the paper's table; a second command resumes and runs
 * nothing new.
 */
class SuiteEmbeddedIT {

    @TempDir
    Path dir;

    private static String layout(String name) {
        try {
            return Path.of(SuiteEmbeddedIT.class.getResource("/layouts/" + name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void should_run_the_suite_on_the_tiny_models_and_write_the_papers_table() throws Exception {
        // given
        Path models = Path.of(System.getProperty("relay.models.dir", "../models"));
        Path config = dir.resolve("suite.json");
        Files.writeString(config, "{\"output_dir\": \"" + dir.resolve("out") + "\", \"limit\": 3, \"max_tokens\": 256, "
                + "\"modes\": [\"student\", \"teacher\", \"relay\", \"teacher-free\", \"confidence:0.9:2\"], "
                + "\"datasets\": [{\"name\": \"GSM8K\", \"file\": \"" + models.resolve("data/heldout.jsonl") + "\"}, "
                + "{\"name\": \"AMC\", \"file\": \"" + layout("amc.jsonl") + "\"}, "
                + "{\"name\": \"MMLU-Pro\", \"file\": \"" + layout("mmlu_pro.jsonl") + "\", \"group\": \"out-of-domain\"}]}");

        // when
        int first = RelayEvalCommandAccess.execute("suite", "--config", config.toString(), "--models-dir",
                models.toString());
        long lines = Files.readAllLines(dir.resolve("out/gsm8k/relay.jsonl")).size();
        int second = RelayEvalCommandAccess.execute("suite", "--config", config.toString(), "--models-dir",
                models.toString());

        // then
        assertThat(first).isZero();
        assertThat(second).isZero();
        assertThat(lines).isEqualTo(3);
        assertThat(Files.readAllLines(dir.resolve("out/gsm8k/relay.jsonl"))).hasSize(3);
        for (String mode : new String[]{"student", "teacher", "relay", "teacher-free", "confidence-0.9-2"}) {
            assertThat(dir.resolve("out/mmlu-pro/" + mode + ".jsonl")).exists();
        }
        String markdown = Files.readString(dir.resolve("out/report/report.md"));
        assertThat(markdown).contains("| setup | GSM8K | AMC | math average | MMLU-Pro | out-of-domain average | "
                + "teacher share | cost cut vs the equal-accuracy random router |");
        assertThat(markdown).containsPattern("\\| teacher \\| 100\\.0% \\|");
        assertThat(markdown).containsPattern("\\| confidence:0\\.9:2 \\| \\d+\\.\\d% \\|");
        assertThat(Files.size(dir.resolve("out/report/report.png"))).isPositive();
        assertThat(Files.readString(dir.resolve("out/report/report.html"))).contains("data:image/png;base64,");
    }
}
