package io.github.relayllm.eval.report;

import io.github.relayllm.eval.run.EvalMode;
import io.github.relayllm.eval.run.ResultRecord;
import io.github.relayllm.eval.run.ResultsFile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The report of several runs: each run's summary, and for each relay or teacher-free run the two random-router
 * baselines built from the student-only and teacher-only runs (see {@link RandomRouter}).
 */
public record Report(List<RunSummary> runs, Prices prices, Optional<RandomRouter> router, List<Baseline> baselines) {

    /**
     * One relay run against the random routers.
     *
     * @param sameShareProbability   q₁: the router's teacher probability at the relay's teacher share
     * @param sameShareAccuracy      A(q₁)
     * @param sameShareCost          C(q₁)
     * @param equalAccuracyProbability q₂, NaN when no router reaches the relay's accuracy
     * @param equalAccuracyCost      C(q₂), NaN when q₂ is
     * @param costReduction          1 - C_relay / C(q₂), NaN when undefined
     */
    public record Baseline(RunSummary relay, double sameShareProbability, double sameShareAccuracy,
                           double sameShareCost, double equalAccuracyProbability, double equalAccuracyCost,
                           double costReduction) {

        public double accuracyGain() {
            return relay.accuracy() - sameShareAccuracy;
        }
    }

    /**
     * A results file and the label of its run in the tables and the plot.
     *
     * @param label the run's name; null for the file name without {@code .jsonl}
     * @param file  a results file written by {@code run}
     */
    public record Input(String label, Path file) {

        public String labelOrFileName() {
            if (label != null) {
                return label;
            }
            String name = file.getFileName().toString();
            return name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
        }
    }

    /** Reads each results file (label: the file name without {@code .jsonl}) and builds the report. */
    public static Report fromFiles(List<Path> files, Prices prices) {
        return fromInputs(files.stream().map(file -> new Input(null, file)).toList(), prices);
    }

    /** Reads each results file under its label and builds the report. */
    public static Report fromInputs(List<Input> inputs, Prices prices) {
        List<RunSummary> runs = new ArrayList<>();
        for (Input input : inputs) {
            Collection<ResultRecord> records = new ResultsFile(input.file()).read().latest();
            if (records.isEmpty()) {
                throw new IllegalArgumentException("results file " + input.file() + " is empty or missing");
            }
            runs.add(RunSummary.of(input.labelOrFileName(), records, prices));
        }
        return of(runs, prices);
    }

    public static Report of(List<RunSummary> runs, Prices prices) {
        Optional<RunSummary> student = first(runs, EvalMode.STUDENT);
        Optional<RunSummary> teacher = first(runs, EvalMode.TEACHER);
        Optional<RandomRouter> router = student.isPresent() && teacher.isPresent()
                ? Optional.of(new RandomRouter(student.get(), teacher.get())) : Optional.empty();
        List<Baseline> baselines = new ArrayList<>();
        router.ifPresent(r -> {
            for (RunSummary run : runs) {
                if (run.mode().equals(EvalMode.RELAY.label()) || run.mode().equals(EvalMode.TEACHER_FREE.label())) {
                    baselines.add(baseline(r, run));
                }
            }
        });
        return new Report(List.copyOf(runs), prices, router, List.copyOf(baselines));
    }

    static Baseline baseline(RandomRouter router, RunSummary relay) {
        double q1 = router.probabilityForShare(relay.teacherShare());
        double q2 = router.probabilityForAccuracy(relay.accuracy());
        double c2 = Double.isNaN(q2) ? Double.NaN : router.cost(q2);
        double reduction = Double.isNaN(c2) || c2 <= 0 ? Double.NaN : 1 - relay.meanCost() / c2;
        return new Baseline(relay, q1, router.accuracy(q1), router.cost(q1), q2, c2, reduction);
    }

    private static Optional<RunSummary> first(List<RunSummary> runs, EvalMode mode) {
        return runs.stream().filter(run -> mode.label().equals(run.mode())).findFirst();
    }
}
