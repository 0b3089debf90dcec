package io.github.relayllm.eval.cli;

import io.github.relayllm.eval.run.ResultRecord;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CalibrateCommandTest {

    private static ResultRecord record(long studentTokens, long teacherTokens, boolean correct) {
        return new ResultRecord("1", 0, "relay", "s", "t", "q", "out", "1", "1", correct, studentTokens, teacherTokens,
                10, 10, 1, 1, 1, 2, 0, "STUDENT_DONE", null);
    }

    @Test
    void should_read_the_target_share_as_a_fraction_or_a_percentage() {
        assertThat(CalibrateCommand.parseShare("0.2")).isEqualTo(0.2);
        assertThat(CalibrateCommand.parseShare(" 20% ")).isCloseTo(0.2, within(1e-12));
        assertThatThrownBy(() -> CalibrateCommand.parseShare("a fifth")).hasMessageContaining("--target-share");
    }

    @Test
    void should_measure_the_share_as_a_ratio_of_token_sums() {
        // given: 10% and 50% on answers of very different lengths
        List<ResultRecord> records = List.of(record(90, 10, true), record(5, 5, false));

        // when / then: (10 + 5) / 110
        assertThat(CalibrateCommand.share(records)).isCloseTo(15.0 / 110, within(1e-12));
        assertThat(CalibrateCommand.share(List.of())).isZero();
    }
}
