package io.github.relayllm.eval.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class SuiteCommandTest {

    @TempDir
    Path dir;

    @Test
    void should_print_help_naming_the_config() {
        // when
        CommandRun result = CommandRun.execute("suite", "--help");

        // then
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Usage: relay-eval suite").contains("--config").contains("report --suite");
    }

    @Test
    void should_refuse_to_report_a_suite_that_has_not_run_yet() throws Exception {
        // given
        Path config = dir.resolve("suite.json");
        Files.writeString(config, "{\"output_dir\": \"" + dir.resolve("out") + "\", \"datasets\": "
                + "[{\"name\": \"a\", \"file\": \"a.jsonl\"}]}");

        // when
        CommandRun result = CommandRun.execute("report", "--suite", config.toString());

        // then
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("relay-eval report: no results under").contains("relay-eval suite");
    }

    @Test
    void should_name_the_bad_dataset_before_loading_any_model() throws Exception {
        // given
        Path config = dir.resolve("suite.json");
        Files.writeString(config, "{\"output_dir\": \"" + dir.resolve("out") + "\", \"datasets\": "
                + "[{\"name\": \"a\", \"file\": \"" + dir.resolve("missing.jsonl") + "\"}]}");

        // when
        CommandRun result = CommandRun.execute("suite", "--config", config.toString());

        // then
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("file not found").contains("missing.jsonl").doesNotContain("Exception");
    }

    @Test
    void should_ask_for_results_files_or_a_suite() {
        // when
        CommandRun result = CommandRun.execute("report");

        // then
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("name the results files to report (or --suite CONFIG)");
    }
}
