package io.github.relayllm.eval.calibrate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThresholdSearchTest {

    @Test
    void should_find_the_probability_threshold_of_a_share_that_grows_with_it() {
        // given: share = threshold^2, in steps of 1% (a finite set of problems)
        // when
        ThresholdSearch.Result result = ThresholdSearch.search(0.20, 0, 1, true, 12, 0.005,
                threshold -> Math.floor(threshold * threshold * 100) / 100);

        // then
        assertThat(result.best().share()).isBetween(0.195, 0.205);
        assertThat(result.best().threshold()).isBetween(0.44, 0.46);
        assertThat(result.probes()).hasSizeLessThanOrEqualTo(12);
    }

    @Test
    void should_search_downwards_for_an_entropy_threshold_and_stop_when_close_enough() {
        // given: share falls with the entropy threshold
        // when
        ThresholdSearch.Result result = ThresholdSearch.search(0.30, 0, 4, false, 20, 0.01,
                threshold -> Math.max(0, 1 - threshold / 2));

        // then
        assertThat(result.best().share()).isCloseTo(0.30, org.assertj.core.data.Offset.offset(0.01));
        assertThat(result.probes().get(result.probes().size() - 1)).isEqualTo(result.best());
    }

    @Test
    void should_return_the_closest_probe_when_no_threshold_reaches_the_target() {
        // when: the share never exceeds 10%
        ThresholdSearch.Result result = ThresholdSearch.search(0.5, 0, 1, true, 5, 0.005, threshold -> threshold / 10);

        // then
        assertThat(result.probes()).hasSize(5);
        assertThat(result.best().threshold()).isGreaterThan(0.9);
        assertThatThrownBy(() -> ThresholdSearch.search(1.5, 0, 1, true, 5, 0.01, t -> t))
                .hasMessageContaining("--target-share");
    }
}
