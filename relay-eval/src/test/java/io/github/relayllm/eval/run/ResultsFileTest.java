package io.github.relayllm.eval.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResultsFileTest {

    @TempDir
    Path dir;

    private static ResultRecord record(String id) {
        return new ResultRecord(id, 0, "student", "s", null, "q", "#### 1", "1", "1", true, 3, 0, 5, 0, 0, 2, 0, 2,
                0, "STUDENT_DONE", null);
    }

    @Test
    void should_round_trip_records() {
        // given
        ResultsFile file = new ResultsFile(dir.resolve("sub/out.jsonl"));

        // when
        try (ResultsFile.Writer writer = file.openForAppend()) {
            writer.append(record("a"));
            writer.append(record("b"));
        }

        // then
        assertThat(file.read().records()).containsExactly(record("a"), record("b"));
        assertThat(file.read().truncatedLastLine()).isFalse();
    }

    @Test
    void should_ignore_a_truncated_last_line_and_cut_it_before_appending() throws Exception {
        // given
        Path path = dir.resolve("out.jsonl");
        ResultsFile file = new ResultsFile(path);
        try (ResultsFile.Writer writer = file.openForAppend()) {
            writer.append(record("a"));
        }
        Files.writeString(path, Files.readString(path) + "{\"id\":\"b\",\"sam");

        // when
        ResultsFile.Contents contents = file.read();
        try (ResultsFile.Writer writer = file.openForAppend()) {
            writer.append(record("c"));
        }

        // then
        assertThat(contents.records()).containsExactly(record("a"));
        assertThat(contents.truncatedLastLine()).isTrue();
        assertThat(file.read().records()).containsExactly(record("a"), record("c"));
        assertThat(Files.readAllLines(path)).hasSize(2);
    }

    @Test
    void should_keep_a_complete_last_line_that_lacks_its_newline() throws Exception {
        // given
        Path path = dir.resolve("out.jsonl");
        ResultsFile file = new ResultsFile(path);
        try (ResultsFile.Writer writer = file.openForAppend()) {
            writer.append(record("a"));
        }
        String content = Files.readString(path);
        Files.writeString(path, content.substring(0, content.length() - 1));

        // when
        try (ResultsFile.Writer writer = file.openForAppend()) {
            writer.append(record("b"));
        }

        // then
        assertThat(file.read().records()).containsExactly(record("a"), record("b"));
    }

    @Test
    void should_fail_on_a_damaged_line_in_the_middle_naming_it() throws Exception {
        // given
        Path path = dir.resolve("out.jsonl");
        Files.writeString(path, "{\"id\":\"a\",\"sample\":0}\nnot json\n{\"id\":\"b\",\"sample\":0}\n");

        // when / then
        assertThatThrownBy(() -> new ResultsFile(path).read())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
    }

    @Test
    void should_count_a_rerun_sample_once_as_its_latest_record() {
        // given
        ResultsFile file = new ResultsFile(dir.resolve("out.jsonl"));
        ResultRecord failed = new ResultRecord("a", 0, "student", "s", null, "q", null, null, "1", false, 0, 0, 0, 0,
                0, 0, 0, 1, 0, "ERROR", "boom");
        try (ResultsFile.Writer writer = file.openForAppend()) {
            writer.append(failed);
            writer.append(record("b"));
            writer.append(record("a"));
        }

        // when / then
        assertThat(file.read().latest()).containsExactly(record("a"), record("b"));
    }
}
