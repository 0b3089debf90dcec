package io.github.relayllm.eval.suite;

import io.github.relayllm.eval.data.Dataset;
import io.github.relayllm.eval.data.Problem;
import io.github.relayllm.eval.report.Prices;
import io.github.relayllm.eval.report.RunSummary;
import io.github.relayllm.eval.report.SuiteReport;
import io.github.relayllm.eval.run.EvalMode;
import io.github.relayllm.eval.run.EvalRunner;
import io.github.relayllm.eval.run.Progress;
import io.github.relayllm.eval.run.RelaySolver;
import io.github.relayllm.eval.run.ResultRecord;
import io.github.relayllm.eval.run.ResultsFile;
import io.github.relayllm.langchain4j.backend.CompletionBackend;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs every dataset of a {@link SuiteConfig} through every mode, one results file each, as {@code relay-eval run}
 * would: a rerun skips what is done and retries failed samples. Every backend is created (every in-process model
 * loaded) before the first generation and shared by all runs.
 */
public final class SuiteRunner {

    /** What the suite did: runs (dataset × mode), samples run now, correct, failed, samples already done. */
    public record Outcome(int runs, int ran, int correct, int failed, int skipped) {
    }

    private final SuiteConfig config;
    private final Function<String, CompletionBackend> backends;
    private final Supplier<Progress> progress;

    /**
     * @param backends creates a backend from a spec ({@code embedded:…}, {@code openai:URL:MODEL}, …)
     * @param progress a fresh progress display for each run
     */
    public SuiteRunner(SuiteConfig config, Function<String, CompletionBackend> backends, Supplier<Progress> progress) {
        this.config = config;
        this.backends = backends;
        this.progress = progress;
    }

    public Outcome run(PrintWriter out) {
        // read every dataset first: a bad file fails before any model is loaded
        Map<SuiteConfig.SuiteDataset, List<Problem>> problems = new LinkedHashMap<>();
        for (SuiteConfig.SuiteDataset dataset : config.datasets()) {
            List<Problem> all = Dataset.load(dataset.file(), dataset.format()).problems();
            problems.put(dataset, config.limit() == null ? all : all.subList(0, Math.min(config.limit(), all.size())));
        }
        Map<String, CompletionBackend> created = new LinkedHashMap<>();
        try {
            Map<SuiteConfig.SuiteMode, CompletionBackend[]> roles = new LinkedHashMap<>();
            for (SuiteConfig.SuiteMode mode : config.modes()) {
                String student = studentSpec(mode);
                String teacher = mode.mode() == EvalMode.TEACHER || mode.mode() == EvalMode.RELAY
                        ? config.backends().teacher() : null;
                roles.put(mode, new CompletionBackend[]{
                        student == null ? null : created.computeIfAbsent(student, backends),
                        teacher == null ? null : created.computeIfAbsent(teacher, backends)});
            }
            RelaySolver.Settings settings = new RelaySolver.Settings(0.0, 0, config.maxTokens(),
                    config.maxCallTokens(), config.maxRounds(), config.systemMessage());
            int runs = 0, ran = 0, correct = 0, failed = 0, skipped = 0;
            for (Map.Entry<SuiteConfig.SuiteDataset, List<Problem>> entry : problems.entrySet()) {
                SuiteConfig.SuiteDataset dataset = entry.getKey();
                for (SuiteConfig.SuiteMode mode : config.modes()) {
                    CompletionBackend[] pair = roles.get(mode);
                    // not closed: the solver would close the backends that every run shares
                    RelaySolver solver = new RelaySolver(mode.mode(), pair[0], pair[1], mode.policy(), settings);
                    EvalRunner runner = new EvalRunner(solver, mode.mode(), dataset.promptTemplate(), 1,
                            config.concurrency(), progress.get());
                    EvalRunner.Outcome outcome = runner.run(entry.getValue(),
                            new ResultsFile(config.results(dataset, mode)));
                    runs++;
                    ran += outcome.ran();
                    correct += outcome.correct();
                    failed += outcome.failed();
                    skipped += outcome.skipped();
                    out.printf(Locale.ROOT, "%-28s %-22s %4d run (%d correct, %d failed), %d already done -> %s%n",
                            dataset.name(), mode.name(), outcome.ran(), outcome.correct(), outcome.failed(),
                            outcome.skipped(), config.results(dataset, mode));
                    out.flush();
                }
            }
            return new Outcome(runs, ran, correct, failed, skipped);
        } finally {
            created.values().forEach(CompletionBackend::close);
        }
    }

    private String studentSpec(SuiteConfig.SuiteMode mode) {
        if (mode.confidence()) {
            return config.backends().confidenceStudent();
        }
        return switch (mode.mode()) {
            case STUDENT -> config.backends().student();
            case RELAY, TEACHER_FREE -> config.backends().relayStudent();
            case TEACHER -> null;
        };
    }

    /** The suite's table from the results files under its output folder (a missing run is left empty). */
    public static SuiteReport report(SuiteConfig config) {
        List<SuiteReport.Benchmark> benchmarks = config.datasets().stream()
                .map(dataset -> new SuiteReport.Benchmark(dataset.name(), dataset.group())).toList();
        List<SuiteReport.Row> rows = new ArrayList<>();
        for (SuiteConfig.SuiteMode mode : config.modes()) {
            List<RunSummary> runs = new ArrayList<>();
            List<Integer> answered = new ArrayList<>();
            for (SuiteConfig.SuiteDataset dataset : config.datasets()) {
                Collection<ResultRecord> records = new ResultsFile(config.results(dataset, mode)).read().latest();
                runs.add(records.isEmpty() ? null
                        : RunSummary.of(dataset.name() + " / " + mode.name(), records, Prices.teacherTokens()));
                answered.add(records.isEmpty() ? null
                        : (int) records.stream().filter(record -> record.extracted() != null).count());
            }
            rows.add(new SuiteReport.Row(mode.name(), mode.mode().label(), runs, answered));
        }
        if (rows.stream().allMatch(row -> row.runs().stream().allMatch(Objects::isNull))) {
            throw new IllegalArgumentException("no results under " + config.outputDir() + " yet: run 'relay-eval suite "
                    + "--config …' first");
        }
        return new SuiteReport(benchmarks, rows);
    }
}
