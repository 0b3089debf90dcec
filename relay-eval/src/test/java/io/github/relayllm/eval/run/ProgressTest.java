package io.github.relayllm.eval.run;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressTest {

    @Test
    void should_show_count_rate_eta_and_accuracy() {
        // given
        Progress bar = new Progress(System.err, true, Duration.ofSeconds(10));
        Progress lines = new Progress(System.err, false, Duration.ofSeconds(10));

        // when: 30 of 120 done in 10 s, 15 right
        String barLine = bar.line(30, 120, 15, 1, 10_000_000_000L);
        String plainLine = lines.line(30, 120, 15, 0, 10_000_000_000L);

        // then
        assertThat(barLine).startsWith("[########                      ] 30/120  25.0%  3.00/s  elapsed 0:10  ETA 0:30  accuracy 50.0%")
                .endsWith("failed 1");
        assertThat(plainLine).isEqualTo("30/120  25.0%  3.00/s  elapsed 0:10  ETA 0:30  accuracy 50.0%");
        assertThat(Progress.clock(3725)).isEqualTo("1:02:05");
    }

    @Test
    void should_print_plain_lines_off_a_terminal_and_always_the_last_one() {
        // given
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(buffer, true, StandardCharsets.UTF_8), false, Duration.ofHours(1));
        ResultRecord record = new ResultRecord("a", 0, "student", null, null, "q", "o", null, "1", true, 0, 0, 0, 0, 0,
                0, 0, 0, 0, null, null);

        // when
        progress.start(3, 2);
        progress.completed(record);
        progress.completed(record);
        progress.completed(record);
        progress.finish();

        // then
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("resuming: 2 samples already in the results file, 3 to run\n");
        assertThat(out).doesNotContain("\r");
        assertThat(out.lines().filter(line -> line.startsWith("3/3 100.0%"))).hasSize(1);
        assertThat(out.lines()).hasSize(2);
    }
}
