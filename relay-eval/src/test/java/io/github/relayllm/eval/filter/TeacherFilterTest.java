package io.github.relayllm.eval.filter;

import io.github.relayllm.eval.data.Problem;
import io.github.relayllm.eval.run.ResultRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TeacherFilterTest {

    private static final List<Problem> PROBLEMS = List.of(problem("a", 0), problem("b", 1), problem("c", 2));

    private static Problem problem(String id, int index) {
        return new Problem(id, index, "question " + id, "7", "#### 7");
    }

    static ResultRecord sample(String id, int sample, boolean correct) {
        return new ResultRecord(id, sample, "teacher", null, "big", "q", "o", correct ? "7" : "8", "7", correct,
                0, 30, 0, 20, 0, 0, 5, 5, 1.0, "TEACHER_EOS", null);
    }

    static ResultRecord errored(String id, int sample) {
        return new ResultRecord(id, sample, "teacher", null, "big", "q", null, null, "7", false,
                0, 0, 0, 0, 0, 0, 0, 5, 0, "ERROR", "IllegalStateException: backend down");
    }

    /** Samples 0..k-1 of a problem, the first {@code failures} wrong. */
    static List<ResultRecord> samples(String id, int k, int failures) {
        List<ResultRecord> records = new ArrayList<>();
        for (int s = 0; s < k; s++) {
            records.add(sample(id, s, s >= failures));
        }
        return records;
    }

    @Test
    void should_drop_a_problem_failed_in_5_of_10_and_keep_one_failed_in_4_by_default() {
        // given
        List<ResultRecord> results = new ArrayList<>();
        results.addAll(samples("a", 10, 5));
        results.addAll(samples("b", 10, 4));
        results.addAll(samples("c", 10, 10));

        // when
        TeacherFilter.Outcome outcome = TeacherFilter.apply(PROBLEMS, results, 10, TeacherFilter.defaultMaxFailures(10));

        // then
        assertThat(outcome.maxFailures()).isEqualTo(4);
        assertThat(outcome.verdicts()).extracting(TeacherFilter.Verdict::status).containsExactly(
                TeacherFilter.Status.DROPPED, TeacherFilter.Status.KEPT, TeacherFilter.Status.DROPPED);
        assertThat(outcome.verdicts()).extracting(TeacherFilter.Verdict::passes).containsExactly(5, 6, 0);
        assertThat(outcome.kept().get(0).passRate(10)).isEqualTo(0.6);
        assertThat(outcome.passCounts()).containsExactly(1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0);
    }

    @Test
    void should_keep_a_problem_failed_in_5_of_10_when_max_failures_is_5() {
        // when
        TeacherFilter.Outcome outcome = TeacherFilter.apply(PROBLEMS.subList(0, 1), samples("a", 10, 5), 10, 5);

        // then
        assertThat(outcome.kept()).extracting(v -> v.problem().id()).containsExactly("a");
    }

    @Test
    void should_drop_at_half_or_more_failures_by_default() {
        // then
        assertThat(TeacherFilter.defaultMaxFailures(10)).isEqualTo(4);
        assertThat(TeacherFilter.defaultMaxFailures(9)).isEqualTo(4);
        assertThat(TeacherFilter.defaultMaxFailures(4)).isEqualTo(1);
        assertThat(TeacherFilter.defaultMaxFailures(3)).isEqualTo(1);
        assertThat(TeacherFilter.defaultMaxFailures(1)).isZero();
    }

    @Test
    void should_neither_keep_nor_drop_problems_with_errored_or_absent_samples() {
        // given: a 10 of 10 except one sample failed (error and finish reason ERROR); b one sample short; c none
        List<ResultRecord> results = new ArrayList<>(samples("a", 10, 0));
        results.set(3, errored("a", 3));
        results.addAll(samples("b", 10, 0).subList(0, 9));
        ResultRecord finishedWithError = new ResultRecord("b", 9, "teacher", null, "big", "q", "", null, "7", false,
                0, 0, 0, 0, 0, 0, 0, 5, 0, "ERROR", null);
        results.add(finishedWithError);

        // when
        TeacherFilter.Outcome outcome = TeacherFilter.apply(PROBLEMS, results, 10, 4);

        // then
        assertThat(outcome.verdicts()).extracting(TeacherFilter.Verdict::status)
                .containsOnly(TeacherFilter.Status.INCOMPLETE);
        assertThat(outcome.verdicts()).extracting(TeacherFilter.Verdict::graded).containsExactly(9, 9, 0);
        assertThat(outcome.verdicts()).extracting(TeacherFilter.Verdict::errored).containsExactly(1, 1, 0);
        assertThat(outcome.withErroredSamples()).isEqualTo(2);
        assertThat(outcome.withoutSamples()).isEqualTo(1);
        assertThat(outcome.withTooFewSamples()).isZero();
        assertThat(outcome.kept()).isEmpty();
        assertThat(outcome.dropped()).isEmpty();
        assertThat(outcome.passCounts()).containsOnly(0);
    }

    @Test
    void should_refuse_a_sample_number_outside_the_samples() {
        // when / then
        assertThatThrownBy(() -> TeacherFilter.apply(PROBLEMS, samples("a", 10, 0), 8, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sample 8 of problem 'a', outside 0..7").hasMessageContaining("--samples");
    }

    @Test
    void should_refuse_results_of_a_problem_not_in_the_dataset() {
        // when / then
        assertThatThrownBy(() -> TeacherFilter.apply(PROBLEMS, samples("zz", 1, 0), 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("problem id 'zz'");
    }

    @Test
    void should_refuse_results_graded_against_another_reference() {
        // given
        ResultRecord other = new ResultRecord("a", 0, "teacher", null, "big", "q", "o", "9", "9", true,
                0, 30, 0, 20, 0, 0, 5, 5, 1.0, "TEACHER_EOS", null);

        // when / then
        assertThatThrownBy(() -> TeacherFilter.apply(PROBLEMS, List.of(other), 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("against '9' but the dataset's reference is '7'");
    }

    @Test
    void should_refuse_a_threshold_outside_the_samples() {
        // when / then
        assertThatThrownBy(() -> TeacherFilter.apply(PROBLEMS, List.of(), 10, 11))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--max-failures");
    }
}
