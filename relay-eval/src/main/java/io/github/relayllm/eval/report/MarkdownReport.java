package io.github.relayllm.eval.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The report as Markdown tables (also the source of the HTML page's tables). */
public final class MarkdownReport {

    private MarkdownReport() {
    }

    static List<String> summaryHeader() {
        return List.of("run", "accuracy", "teacher share", "teacher calls per answer",
                "random router at this teacher share: accuracy", "cost reduction vs the random router of equal accuracy");
    }

    /**
     * One row per run: accuracy, teacher share, teacher calls; for relay and teacher-free runs also the same-share
     * router's accuracy and the cost reduction against the equal-accuracy router ("-" for the others, "n/a" when no
     * router reaches the run's accuracy).
     */
    static List<List<String>> summaryRows(Report report) {
        List<List<String>> rows = new ArrayList<>();
        for (RunSummary run : report.runs()) {
            Report.Baseline b = report.baselines().stream().filter(baseline -> baseline.relay() == run).findFirst()
                    .orElse(null);
            rows.add(List.of(run.label(), percent(run.accuracy()), percent(run.teacherShare()),
                    fixed(run.meanRounds(), 2),
                    b == null ? "-" : percent(b.sameShareAccuracy()),
                    b == null ? "-" : Double.isNaN(b.costReduction()) ? "n/a" : percent(b.costReduction())));
        }
        return rows;
    }

    static List<String> runHeader(Report report) {
        return List.of("run", "mode", "student", "teacher", "problems", "samples", "accuracy", "pass@k",
                "teacher share", "generated tokens (student + teacher)", "prompt tokens", "rounds",
                "latency ms (student / teacher)", "cost (" + report.prices().unit() + ")", "total cost", "failed");
    }

    static List<List<String>> runRows(Report report) {
        List<List<String>> rows = new ArrayList<>();
        for (RunSummary run : report.runs()) {
            rows.add(List.of(run.label(), run.mode(), orDash(run.studentModel()), orDash(run.teacherModel()),
                    String.valueOf(run.problems()), String.valueOf(run.samples()),
                    percent(run.accuracy()) + " (" + run.correct() + "/" + run.samples() + ")",
                    run.samplesPerProblem() > 1 ? percent(run.passAtK()) + " (k=" + run.samplesPerProblem() + ")" : "-",
                    percent(run.teacherShare()),
                    fixed(run.meanGeneratedTokens(), 1) + " (" + fixed(run.meanStudentTokens(), 1) + " + "
                            + fixed(run.meanTeacherTokens(), 1) + ")",
                    fixed(run.meanPromptTokens(), 1), fixed(run.meanRounds(), 2),
                    fixed(run.meanLatencyMs(), 1) + " (" + fixed(run.meanStudentLatencyMs(), 1) + " / "
                            + fixed(run.meanTeacherLatencyMs(), 1) + ")",
                    cost(report, run.meanCost()), cost(report, run.totalCost()), String.valueOf(run.failed())));
        }
        return rows;
    }

    static List<String> baselineHeader(Report report) {
        return List.of("run", "accuracy", "teacher share", "cost (" + report.prices().unit() + ")",
                "same-share router: q", "its accuracy", "its cost", "accuracy gain",
                "equal-accuracy router: q", "its cost", "cost reduction");
    }

    static List<List<String>> baselineRows(Report report) {
        List<List<String>> rows = new ArrayList<>();
        for (Report.Baseline b : report.baselines()) {
            RunSummary run = b.relay();
            rows.add(List.of(run.label(), percent(run.accuracy()), percent(run.teacherShare()),
                    cost(report, run.meanCost()), fixed(b.sameShareProbability(), 3), percent(b.sameShareAccuracy()),
                    cost(report, b.sameShareCost()), points(b.accuracyGain()),
                    Double.isNaN(b.equalAccuracyProbability()) ? "n/a" : fixed(b.equalAccuracyProbability(), 3),
                    Double.isNaN(b.equalAccuracyCost()) ? "n/a" : cost(report, b.equalAccuracyCost()),
                    Double.isNaN(b.costReduction()) ? "n/a" : percent(b.costReduction())));
        }
        return rows;
    }

    static String definitions(Report report) {
        String costLine = report.prices().inMoney()
                ? "Cost is per sample: prompt tokens × input price + generated tokens × output price of each model (prices per million tokens)."
                : "Cost is per sample, in teacher generated tokens (no prices given; pass --prices or --price for money).";
        return costLine + " Teacher share = teacher generated tokens / all generated tokens, over the run. "
                + "The random router sends each problem to the teacher with probability q, else to the student: "
                + "expected accuracy (1-q)·A_student + q·A_teacher, expected cost (1-q)·C_student + q·C_teacher, "
                + "teacher share q·G_teacher / ((1-q)·G_student + q·G_teacher) with G the generated tokens per problem "
                + "of the student-only and teacher-only runs. The same-share router has the relay's teacher share "
                + "(q = s·G_student / ((1-s)·G_teacher + s·G_student)); the equal-accuracy router has the relay's "
                + "accuracy (q = (A_relay - A_student) / (A_teacher - A_student), n/a outside [A_student, A_teacher]); "
                + "cost reduction = 1 - C_relay / C_router.";
    }

    public static String render(Report report) {
        StringBuilder md = new StringBuilder();
        md.append("# Relay evaluation report\n\n");
        table(md, summaryHeader(), summaryRows(report));
        md.append("\n## Runs\n\n");
        table(md, runHeader(report), runRows(report));
        md.append('\n');
        if (report.router().isEmpty()) {
            md.append("Random-router baselines need a `student` run and a `teacher` run among the results files.\n\n");
        } else if (report.baselines().isEmpty()) {
            md.append("Random-router baselines: no `relay` or `teacher-free` run to compare.\n\n");
        } else {
            md.append("## Against the random router\n\n");
            table(md, baselineHeader(report), baselineRows(report));
            md.append('\n');
        }
        md.append(definitions(report)).append('\n');
        return md.toString();
    }

    static void table(StringBuilder md, List<String> header, List<List<String>> rows) {
        md.append("| ").append(String.join(" | ", header)).append(" |\n");
        md.append("|").append("---|".repeat(header.size())).append('\n');
        for (List<String> row : rows) {
            md.append("| ").append(String.join(" | ", row.stream().map(c -> c.replace("|", "\\|")).toList()))
                    .append(" |\n");
        }
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    static String points(double fraction) {
        return String.format(Locale.ROOT, "%+.1f pts", 100 * fraction);
    }

    static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    static String cost(Report report, double value) {
        if (!report.prices().inMoney()) {
            return fixed(value, 1);
        }
        return value >= 0.01 ? String.format(Locale.ROOT, "$%.4f", value)
                : String.format(Locale.ROOT, "$%.3g", value);
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
