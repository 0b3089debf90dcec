package io.github.relayllm.eval.run;

import io.github.relayllm.eval.data.Problem;
import io.github.relayllm.eval.grading.Grader;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutionException;

/**
 * Runs problems through a {@link Solver}, grades each answer and appends it to a {@link ResultsFile} as soon as it
 * is done. Samples already in the file are skipped (a failed sample is run again), so a run that was interrupted
 * resumes where it stopped.
 */
public final class EvalRunner {

    /** What a run did. */
    public record Outcome(int skipped, int ran, int correct, int failed) {
    }

    private final Solver solver;
    private final EvalMode mode;
    private final String promptTemplate;
    private final int samples;
    private final int concurrency;
    private final Progress progress;

    /**
     * @param promptTemplate the user message, with {@code {question}} replaced by the problem's question
     * @param samples        samples per problem (pass@k)
     * @param concurrency    problems in flight at once
     */
    public EvalRunner(Solver solver, EvalMode mode, String promptTemplate, int samples, int concurrency,
                      Progress progress) {
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be at least 1 (it is " + samples + ")");
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("--concurrency must be at least 1 (it is " + concurrency + ")");
        }
        if (!promptTemplate.contains("{question}")) {
            throw new IllegalArgumentException("--prompt-template must contain {question}");
        }
        this.solver = solver;
        this.mode = mode;
        this.promptTemplate = promptTemplate;
        this.samples = samples;
        this.concurrency = concurrency;
        this.progress = progress;
    }

    public Outcome run(List<Problem> problems, ResultsFile results) {
        ResultsFile.Contents existing = results.read();
        Set<String> done = new HashSet<>();
        for (ResultRecord record : existing.latest()) {
            if (record.mode() != null && !record.mode().equals(mode.label())) {
                throw new IllegalArgumentException("results file " + results.path() + " holds results of mode "
                        + record.mode() + "; write this " + mode.label() + " run to another --output");
            }
            if (!record.failed()) {
                done.add(key(record.id(), record.sample()));
            }
        }
        List<Runnable> tasks = new ArrayList<>();
        AtomicInteger correct = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        int skipped = 0;
        ResultsFile.Writer writer = results.openForAppend();
        for (Problem problem : problems) {
            for (int sample = 0; sample < samples; sample++) {
                if (done.contains(key(problem.id(), sample))) {
                    skipped++;
                    continue;
                }
                int s = sample;
                tasks.add(() -> {
                    ResultRecord record = attempt(problem, s);
                    writer.append(record);
                    if (record.correct()) {
                        correct.incrementAndGet();
                    }
                    if (record.failed()) {
                        failed.incrementAndGet();
                    }
                    progress.completed(record);
                });
            }
        }
        progress.start(tasks.size(), skipped);
        ExecutorService executor = Executors.newFixedThreadPool(concurrency, runnable -> {
            Thread thread = new Thread(runnable, "relay-eval-worker");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            tasks.forEach(task -> futures.add(executor.submit(task)));
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("run interrupted; the results file keeps every finished sample");
        } catch (ExecutionException e) {
            throw new IllegalStateException("writing results failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            executor.shutdownNow();
            writer.close();
            progress.finish();
        }
        return new Outcome(skipped, tasks.size(), correct.get(), failed.get());
    }

    private ResultRecord attempt(Problem problem, int sample) {
        String prompt = promptTemplate.replace("{question}", problem.question());
        long start = System.nanoTime();
        try {
            Attempt attempt = solver.solve(prompt, sample);
            long latencyMs = (System.nanoTime() - start) / 1_000_000;
            Grader.Grade grade = Grader.grade(attempt.output(), problem.answer());
            return new ResultRecord(problem.id(), sample, mode.label(), solver.studentModel(), solver.teacherModel(),
                    prompt, attempt.output(), grade.extracted().orElse(null), problem.reference(), grade.correct(),
                    attempt.studentTokens(), attempt.teacherTokens(), attempt.studentPromptTokens(),
                    attempt.teacherPromptTokens(), attempt.rounds(), attempt.studentLatencyMs(),
                    attempt.teacherLatencyMs(), latencyMs, attempt.callRatio(), attempt.finishReason(), null);
        } catch (RuntimeException e) {
            long latencyMs = (System.nanoTime() - start) / 1_000_000;
            String message = e.getClass().getSimpleName() + ": " + e.getMessage();
            return new ResultRecord(problem.id(), sample, mode.label(), solver.studentModel(), solver.teacherModel(),
                    prompt, null, null, problem.reference(), false, 0, 0, 0, 0, 0, 0, 0, latencyMs, 0, "ERROR",
                    message);
        }
    }

    private static String key(String id, int sample) {
        return id + "\u0000" + sample;
    }
}
