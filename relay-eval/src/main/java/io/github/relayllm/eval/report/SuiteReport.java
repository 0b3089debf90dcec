package io.github.relayllm.eval.report;

import io.github.relayllm.eval.run.EvalMode;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The paper's table of a benchmark suite: one row per setup, the accuracy on each benchmark and its average (per
 * group: math, out-of-domain), the teacher share, and the cost cut against the random router of equal accuracy.
 * <p>
 * The router is built from the suite's first {@code student} and first {@code teacher} setup over the averages of
 * all benchmarks (mean accuracy, mean cost and mean generated tokens per sample, each benchmark weighing the same):
 * one routing probability q for every benchmark, so its average accuracy is {@code (1-q)·A_student + q·A_teacher}
 * and its average cost {@code (1-q)·C_student + q·C_teacher} ({@link RandomRouter}). Cost is the teacher's
 * generated tokens per sample.
 */
public final class SuiteReport {

    /** A benchmark column. */
    public record Benchmark(String name, String group) {
    }

    /**
     * A setup's runs, one per benchmark in column order (null where the results file is missing or empty).
     *
     * @param setup    the setup's name in the suite config
     * @param mode     the harness mode of its runs
     * @param answered per run, the samples whose output held a final answer the grader found (null where no run):
     *                 a 0% with no answer found is a prompt or format problem, not a wrong model
     */
    public record Row(String setup, String mode, List<RunSummary> runs, List<Integer> answered)
            implements RandomRouter.Endpoint {

        public Row {
            // null entries allowed: List.copyOf refuses them
            runs = Collections.unmodifiableList(new ArrayList<>(runs));
            answered = Collections.unmodifiableList(new ArrayList<>(answered));
            if (answered.size() != runs.size()) {
                throw new IllegalArgumentException("one answered count per run");
            }
        }

        public boolean complete() {
            return runs.stream().allMatch(Objects::nonNull);
        }

        /** The mean accuracy over all benchmarks; NaN when a run is missing. */
        @Override
        public double accuracy() {
            return complete() ? runs.stream().mapToDouble(RunSummary::accuracy).average().orElse(Double.NaN) : Double.NaN;
        }

        @Override
        public double meanCost() {
            return complete() ? runs.stream().mapToDouble(RunSummary::meanCost).average().orElse(Double.NaN) : Double.NaN;
        }

        @Override
        public double meanGeneratedTokens() {
            return complete() ? runs.stream().mapToDouble(RunSummary::meanGeneratedTokens).average().orElse(Double.NaN)
                    : Double.NaN;
        }

        /** Teacher generated tokens / all generated tokens, summed over every benchmark run. */
        public double teacherShare() {
            long teacher = 0, all = 0;
            for (RunSummary run : runs) {
                if (run != null) {
                    teacher += run.teacherTokens();
                    all += run.studentTokens() + run.teacherTokens();
                }
            }
            return all == 0 ? 0 : (double) teacher / all;
        }
    }

    private final List<Benchmark> benchmarks;
    private final List<Row> rows;
    private final Optional<RandomRouter> router;

    public SuiteReport(List<Benchmark> benchmarks, List<Row> rows) {
        this.benchmarks = List.copyOf(benchmarks);
        this.rows = List.copyOf(rows);
        Optional<Row> student = first(EvalMode.STUDENT);
        Optional<Row> teacher = first(EvalMode.TEACHER);
        this.router = student.isPresent() && teacher.isPresent() && student.get().complete() && teacher.get().complete()
                ? Optional.of(new RandomRouter(student.get(), teacher.get())) : Optional.empty();
    }

    private Optional<Row> first(EvalMode mode) {
        return rows.stream().filter(row -> mode.label().equals(row.mode())).findFirst();
    }

    public List<Benchmark> benchmarks() {
        return benchmarks;
    }

    public List<Row> rows() {
        return rows;
    }

    public Optional<RandomRouter> router() {
        return router;
    }

    /** The groups in column order. */
    public List<String> groups() {
        Set<String> groups = new LinkedHashSet<>();
        benchmarks.forEach(benchmark -> groups.add(benchmark.group()));
        return List.copyOf(groups);
    }

    /** A row's mean accuracy over one group's benchmarks; NaN when one of them is missing. */
    public double groupAccuracy(Row row, String group) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < benchmarks.size(); i++) {
            if (benchmarks.get(i).group().equals(group)) {
                RunSummary run = row.runs().get(i);
                if (run == null) {
                    return Double.NaN;
                }
                sum += run.accuracy();
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * A row's cost cut against the random router of its average accuracy: {@code 1 - C_row / C(q)} with
     * {@code q = (A_row - A_student) / (A_teacher - A_student)}; NaN for the student and teacher rows, without a
     * router, where no router reaches the row's accuracy, or where that router costs nothing.
     */
    public double costCut(Row row) {
        if (router.isEmpty() || !row.complete() || EvalMode.STUDENT.label().equals(row.mode())
                || EvalMode.TEACHER.label().equals(row.mode())) {
            return Double.NaN;
        }
        double q = router.get().probabilityForAccuracy(row.accuracy());
        double cost = Double.isNaN(q) ? Double.NaN : router.get().cost(q);
        return Double.isNaN(cost) || cost <= 0 ? Double.NaN : 1 - row.meanCost() / cost;
    }

    List<String> header() {
        List<String> header = new ArrayList<>();
        header.add("setup");
        List<String> groups = groups();
        for (String group : groups) {
            benchmarks.stream().filter(b -> b.group().equals(group)).forEach(b -> header.add(b.name()));
            header.add(groups.size() == 1 ? "average" : group + " average");
        }
        header.add("teacher share");
        header.add("cost cut vs the equal-accuracy random router");
        return header;
    }

    List<List<String>> cells() {
        List<List<String>> cells = new ArrayList<>();
        List<String> groups = groups();
        for (Row row : rows) {
            List<String> line = new ArrayList<>();
            line.add(row.setup());
            for (String group : groups) {
                for (int i = 0; i < benchmarks.size(); i++) {
                    if (benchmarks.get(i).group().equals(group)) {
                        RunSummary run = row.runs().get(i);
                        line.add(run == null ? "-" : MarkdownReport.percent(run.accuracy()));
                    }
                }
                line.add(orDash(groupAccuracy(row, group), MarkdownReport.percent(groupAccuracy(row, group))));
            }
            line.add(MarkdownReport.percent(row.teacherShare()));
            boolean baseline = EvalMode.STUDENT.label().equals(row.mode()) || EvalMode.TEACHER.label().equals(row.mode());
            double cut = costCut(row);
            line.add(baseline ? "-" : Double.isNaN(cut) ? "n/a" : MarkdownReport.percent(cut));
            cells.add(line);
        }
        return cells;
    }

    List<String> runHeader() {
        return List.of("benchmark", "setup", "problems", "accuracy", "final answer found", "teacher share",
                "teacher tokens per answer", "generated tokens per answer", "teacher calls per answer", "failed");
    }

    List<List<String>> runCells() {
        List<List<String>> cells = new ArrayList<>();
        for (int i = 0; i < benchmarks.size(); i++) {
            for (Row row : rows) {
                RunSummary run = row.runs().get(i);
                if (run == null) {
                    cells.add(List.of(benchmarks.get(i).name(), row.setup(), "-", "no results", "-", "-", "-", "-", "-",
                            "-"));
                    continue;
                }
                cells.add(List.of(benchmarks.get(i).name(), row.setup(), String.valueOf(run.problems()),
                        MarkdownReport.percent(run.accuracy()) + " (" + run.correct() + "/" + run.samples() + ")",
                        row.answered().get(i) + "/" + run.samples(), MarkdownReport.percent(run.teacherShare()), MarkdownReport.fixed(run.meanTeacherTokens(), 1),
                        MarkdownReport.fixed(run.meanGeneratedTokens(), 1), MarkdownReport.fixed(run.meanRounds(), 2),
                        String.valueOf(run.failed())));
            }
        }
        return cells;
    }

    String definitions() {
        return "Accuracy is correct answers / problems of each benchmark; an average weighs every benchmark the same. "
                + "Final answer found: answers in which the grader found a final answer (a boxed or marked answer, an "
                + "option); a low count means the prompt or the model's answer format, not only wrong answers. "
                + "Teacher share = teacher generated tokens / all generated tokens over every benchmark of the setup. "
                + "Cost cut: the random router sends each problem to the teacher with probability q, else to the "
                + "student; built from the student and teacher rows' averages over all benchmarks, the router of equal "
                + "average accuracy has q = (A - A_student) / (A_teacher - A_student) and costs (1-q)·C_student + "
                + "q·C_teacher teacher tokens per answer; cost cut = 1 - C_setup / C_router (n/a where no router "
                + "reaches the setup's accuracy or that router costs nothing).";
    }

    public String markdown() {
        StringBuilder md = new StringBuilder("# Relay benchmark suite\n\n");
        MarkdownReport.table(md, header(), cells());
        md.append("\n## Runs\n\n");
        MarkdownReport.table(md, runHeader(), runCells());
        md.append('\n');
        if (router.isEmpty()) {
            md.append("No cost cut: the suite needs a complete `student` and `teacher` setup for the random router.\n\n");
        }
        md.append(definitions()).append('\n');
        return md.toString();
    }

    public String html(byte[] png) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>Relay benchmark suite</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
                .append("table{border-collapse:collapse;margin:1em 0;font-size:14px}")
                .append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}")
                .append("th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}")
                .append("p.note{max-width:60em;font-size:14px;line-height:1.4}\n</style>\n</head>\n<body>\n")
                .append("<h1>Relay benchmark suite</h1>\n");
        HtmlReport.table(html, header(), cells());
        html.append("<p><img alt=\"accuracy per benchmark and setup\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\"></p>\n");
        html.append("<h2>Runs</h2>\n");
        HtmlReport.table(html, runHeader(), runCells());
        html.append("<p class=\"note\">").append(HtmlReport.escape(definitions())).append("</p>\n");
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private static String orDash(double value, String text) {
        return Double.isNaN(value) ? "-" : text;
    }
}
