package io.github.relayllm.eval.run;

import io.github.relayllm.eval.data.JsonLines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EvalRunnerTest {

    @TempDir
    Path dir;

    private EvalRunner runner(Solver solver, int samples, int concurrency) {
        return new EvalRunner(solver, EvalMode.RELAY, "{question}", samples, concurrency, Progress.silent());
    }

    @Test
    void should_write_one_graded_line_per_problem_and_sample() {
        // given
        FakeSolver solver = new FakeSolver((prompt, sample) -> sample == 0 ? "#### " + prompt.substring(1) : "#### -1");
        ResultsFile results = new ResultsFile(dir.resolve("out.jsonl"));

        // when
        EvalRunner.Outcome outcome = runner(solver, 2, 1).run(TestProblems.numbered(3), results);

        // then
        List<ResultRecord> records = results.read().records();
        assertThat(records).hasSize(6);
        assertThat(outcome).isEqualTo(new EvalRunner.Outcome(0, 6, 3, 0));
        ResultRecord first = records.get(0);
        assertThat(first.id()).isEqualTo("0");
        assertThat(first.sample()).isZero();
        assertThat(first.mode()).isEqualTo("relay");
        assertThat(first.prompt()).isEqualTo("q0");
        assertThat(first.output()).isEqualTo("#### 0");
        assertThat(first.extracted()).isEqualTo("0");
        assertThat(first.reference()).isEqualTo("0");
        assertThat(first.correct()).isTrue();
        assertThat(first.studentTokens()).isEqualTo(10);
        assertThat(first.teacherTokens()).isEqualTo(5);
        assertThat(first.studentPromptTokens()).isEqualTo(20);
        assertThat(first.teacherPromptTokens()).isEqualTo(30);
        assertThat(first.rounds()).isEqualTo(1);
        assertThat(first.studentLatencyMs()).isEqualTo(7);
        assertThat(first.teacherLatencyMs()).isEqualTo(3);
        assertThat(first.callRatio()).isEqualTo(5.0 / 15);
        assertThat(first.finishReason()).isEqualTo("STUDENT_DONE");
        assertThat(first.studentModel()).isEqualTo("fake-student");
        assertThat(records.stream().filter(r -> r.sample() == 1)).noneMatch(ResultRecord::correct);
    }

    @Test
    void should_resume_after_an_interruption_without_losing_or_repeating_a_sample() throws Exception {
        // given a run that dies on its fourth problem, leaving a half-written line behind
        Path file = dir.resolve("out.jsonl");
        AtomicInteger calls = new AtomicInteger();
        FakeSolver dying = new FakeSolver((prompt, sample) -> {
            if (calls.incrementAndGet() >= 4) { // the process is gone from the fourth call on
                throw new OutOfMemoryError("killed");
            }
            return "#### " + prompt.substring(1);
        });
        assertThatThrownBy(() -> runner(dying, 1, 1).run(TestProblems.numbered(10), new ResultsFile(file)))
                .isInstanceOf(IllegalStateException.class);
        assertThat(Files.readAllLines(file)).hasSize(3);
        Files.writeString(file, "{\"id\":\"3\",\"sample\":0,\"mode\":\"re", StandardOpenOption.APPEND);

        // when
        FakeSolver solver = FakeSolver.echo();
        EvalRunner.Outcome outcome = runner(solver, 1, 1).run(TestProblems.numbered(10), new ResultsFile(file));

        // then
        assertThat(outcome.skipped()).isEqualTo(3);
        assertThat(outcome.ran()).isEqualTo(7);
        assertThat(solver.calls).containsExactly("q3#0", "q4#0", "q5#0", "q6#0", "q7#0", "q8#0", "q9#0");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(10);
        for (String line : lines) {
            assertThat(JsonLines.mapper().readTree(line).get("correct").asBoolean()).isTrue();
        }
        assertThat(new ResultsFile(file).read().records()).extracting(ResultRecord::id)
                .containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }

    @Test
    void should_skip_everything_when_the_run_is_complete() {
        // given
        ResultsFile results = new ResultsFile(dir.resolve("out.jsonl"));
        runner(FakeSolver.echo(), 2, 1).run(TestProblems.numbered(4), results);

        // when
        FakeSolver again = FakeSolver.echo();
        EvalRunner.Outcome outcome = runner(again, 2, 1).run(TestProblems.numbered(4), results);

        // then
        assertThat(outcome).isEqualTo(new EvalRunner.Outcome(8, 0, 0, 0));
        assertThat(again.calls).isEmpty();
        assertThat(results.read().records()).hasSize(8);
    }

    @Test
    void should_record_a_failed_request_and_retry_it_on_resume() {
        // given a backend that fails on problem 1
        ResultsFile results = new ResultsFile(dir.resolve("out.jsonl"));
        FakeSolver failing = new FakeSolver((prompt, sample) -> {
            if (prompt.equals("q1")) {
                throw new IllegalStateException("teacher unreachable");
            }
            return "#### " + prompt.substring(1);
        });
        EvalRunner.Outcome first = runner(failing, 1, 1).run(TestProblems.numbered(3), results);

        // when
        FakeSolver healthy = FakeSolver.echo();
        EvalRunner.Outcome second = runner(healthy, 1, 1).run(TestProblems.numbered(3), results);

        // then
        assertThat(first.failed()).isEqualTo(1);
        ResultRecord failed = results.read().records().get(1);
        assertThat(failed.error()).isEqualTo("IllegalStateException: teacher unreachable");
        assertThat(failed.finishReason()).isEqualTo("ERROR");
        assertThat(failed.correct()).isFalse();
        assertThat(healthy.calls).containsExactly("q1#0");
        assertThat(second.failed()).isZero();
        assertThat(results.read().latest()).hasSize(3).allMatch(ResultRecord::correct);
    }

    @Test
    void should_run_problems_concurrently_and_write_whole_lines() throws Exception {
        // given a solver whose calls only get through when four run at the same time
        CyclicBarrier fourAtOnce = new CyclicBarrier(4);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        FakeSolver solver = new FakeSolver((prompt, sample) -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                fourAtOnce.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new IllegalStateException("fewer than four problems in flight", e);
            } finally {
                inFlight.decrementAndGet();
            }
            return "#### " + prompt.substring(1) + " " + "x".repeat(5000);
        });
        Path file = dir.resolve("out.jsonl");

        // when
        EvalRunner.Outcome outcome = runner(solver, 1, 4).run(TestProblems.numbered(40), new ResultsFile(file));

        // then
        assertThat(outcome.failed()).isZero();
        assertThat(maxInFlight.get()).isEqualTo(4);
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(40);
        Set<String> ids = new HashSet<>();
        for (String line : lines) {
            ids.add(JsonLines.mapper().readTree(line).get("id").asText());
        }
        assertThat(ids).hasSize(40);
    }

    @Test
    void should_refuse_to_mix_modes_in_one_results_file() {
        // given
        ResultsFile results = new ResultsFile(dir.resolve("out.jsonl"));
        runner(FakeSolver.echo(), 1, 1).run(TestProblems.numbered(2), results);
        EvalRunner studentRunner = new EvalRunner(FakeSolver.echo(), EvalMode.STUDENT, "{question}", 1, 1,
                Progress.silent());

        // when / then
        assertThatThrownBy(() -> studentRunner.run(TestProblems.numbered(2), results))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mode relay")
                .hasMessageContaining("--output");
    }

    @Test
    void should_reject_bad_settings_naming_the_flag() {
        assertThatThrownBy(() -> runner(FakeSolver.echo(), 0, 1)).hasMessageContaining("--samples");
        assertThatThrownBy(() -> runner(FakeSolver.echo(), 1, 0)).hasMessageContaining("--concurrency");
        assertThatThrownBy(() -> new EvalRunner(FakeSolver.echo(), EvalMode.RELAY, "no placeholder", 1, 1,
                Progress.silent())).hasMessageContaining("--prompt-template");
    }
}
