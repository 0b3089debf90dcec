package io.github.relayllm.eval.cli;

import io.github.relayllm.eval.data.Dataset;
import io.github.relayllm.eval.data.DatasetRecords;
import io.github.relayllm.eval.data.JsonLines;
import io.github.relayllm.eval.data.Problem;
import io.github.relayllm.eval.filter.FilteredRecord;
import io.github.relayllm.eval.filter.TeacherFilter;
import io.github.relayllm.eval.run.EvalMode;
import io.github.relayllm.eval.run.ResultRecord;
import io.github.relayllm.eval.run.ResultsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "filter", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"The RelayLLM paper's teacher-based data filter: reads the results of 'run --mode teacher "
                + "--samples K' over a dataset and writes the problems the teacher solves reliably, each as its "
                + "dataset line plus teacher_passes, teacher_samples and teacher_pass_rate, in dataset order.",
                "A problem is kept when the teacher failed at most --max-failures of its K samples (default: fewer "
                        + "than half, (K-1)/2: 4 of 10, so a problem failed in 5 or more of 10 samples is dropped, "
                        + "as in the paper). A problem with fewer than K graded samples (absent from the results, or "
                        + "failed with finish reason ERROR) is refused unless --allow-missing, which leaves it out "
                        + "and lists it."})
final class FilterCommand implements Callable<Integer> {

    private static final int LISTED_IDS = 20;

    @Mixin
    DatasetOptions datasetOptions;

    @Option(names = "--results", required = true, paramLabel = "FILE",
            description = "Results JSONL of 'run --mode teacher --samples K' over the dataset")
    Path results;

    @Option(names = "--output", required = true, paramLabel = "FILE",
            description = "Filtered dataset JSONL to write (replaced if it exists)")
    Path output;

    @Option(names = "--samples", paramLabel = "K",
            description = "Samples per problem the run made (default: the highest sample number in the results + 1)")
    Integer samples;

    @Option(names = "--max-failures", paramLabel = "N",
            description = "Keep a problem when the teacher failed at most N of its K samples (default: (K-1)/2, "
                    + "i.e. drop when failed in half or more: 5 or more of 10)")
    Integer maxFailures;

    @Option(names = "--allow-missing",
            description = "Leave out (and list) problems with fewer than K graded samples instead of refusing")
    boolean allowMissing;

    @Mixin
    LimitOption limitOption;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path datasetFile = datasetOptions.dataset;
        if (sameFile(output, datasetFile) || sameFile(output, results)) {
            throw new IllegalArgumentException("--output " + output + " would overwrite an input; name a new file");
        }
        Dataset dataset = datasetOptions.load();
        if (dataset.layout() != DatasetRecords.Layout.JSON_LINES) {
            throw new IllegalArgumentException("dataset " + datasetFile + " is not JSON Lines; filter copies dataset "
                    + "lines as they are, so convert it to one JSON object per line first");
        }
        List<Problem> problems = limitOption.first(dataset.problems());
        ResultsFile.Contents contents = new ResultsFile(results).read();
        if (contents.records().isEmpty()) {
            throw new IllegalArgumentException("results file " + results + " is empty or missing");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (contents.truncatedLastLine()) {
            err.println("warning: the last line of " + results + " is cut off (an interrupted run); its sample counts "
                    + "as missing");
        }
        Collection<ResultRecord> records = contents.latest();
        Set<String> modes = records.stream().map(ResultRecord::mode).collect(Collectors.toSet());
        if (!modes.equals(Set.of(EvalMode.TEACHER.label()))) {
            throw new IllegalArgumentException("results file " + results + " holds mode " + modes + "; filter reads "
                    + "the results of 'relay-eval run --mode teacher --samples K'");
        }
        List<ResultRecord> considered = withinLimit(records, dataset, problems);
        int k = samples != null ? samples
                : considered.stream().mapToInt(ResultRecord::sample).max().orElse(-1) + 1;
        if (k < 1) {
            throw new IllegalArgumentException("results file " + results + " has no samples of the first "
                    + problems.size() + " dataset problems");
        }
        int threshold = maxFailures != null ? maxFailures : TeacherFilter.defaultMaxFailures(k);
        TeacherFilter.Outcome outcome = TeacherFilter.apply(problems, considered, k, threshold);

        List<TeacherFilter.Verdict> incomplete = outcome.incomplete();
        if (!incomplete.isEmpty() && !allowMissing) {
            throw new IllegalStateException(incomplete.size() + " of " + problems.size() + " problems have fewer "
                    + "than " + k + " graded samples in " + results + " (" + missingBreakdown(outcome) + "; ids "
                    + ids(incomplete) + "): run the same 'relay-eval run' command again with the same --output to "
                    + "complete them (it reruns failed samples), or pass --allow-missing to leave them out");
        }
        write(outcome);
        out.println(summary(outcome));
        if (!incomplete.isEmpty()) {
            out.println("left out, fewer than " + k + " graded samples: " + ids(incomplete));
        }
        out.println("wrote " + outcome.kept().size() + " problems to " + output);
        out.flush();
        return 0;
    }

    /** The records of the considered problems; records of later dataset problems (beyond --limit) are skipped. */
    private List<ResultRecord> withinLimit(Collection<ResultRecord> records, Dataset dataset, List<Problem> problems) {
        Set<String> considered = problems.stream().map(Problem::id).collect(Collectors.toSet());
        Set<String> all = new HashSet<>(considered);
        dataset.problems().forEach(problem -> all.add(problem.id()));
        List<ResultRecord> within = new ArrayList<>();
        for (ResultRecord record : records) {
            if (considered.contains(record.id())) {
                within.add(record);
            } else if (!all.contains(record.id())) {
                throw new IllegalArgumentException("results file " + results + " has problem id '" + record.id()
                        + "', which is not in " + dataset.file() + " (ids are the dataset's id field or 0-based "
                        + "record numbers): filter with the dataset the teacher run read");
            }
        }
        return within;
    }

    private void write(TeacherFilter.Outcome outcome) {
        List<String> lines = JsonLines.recordLines(datasetOptions.dataset);
        StringBuilder text = new StringBuilder();
        for (TeacherFilter.Verdict verdict : outcome.kept()) {
            text.append(FilteredRecord.line(lines.get(verdict.problem().index()), verdict.passes(), outcome.samples()))
                    .append('\n');
        }
        try {
            Path parent = output.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temporary = Files.createTempFile(parent, output.getFileName().toString(), ".part");
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write --output " + output + ": " + e.getMessage(), e);
        }
    }

    static String summary(TeacherFilter.Outcome outcome) {
        int k = outcome.samples();
        int[] counts = outcome.passCounts();
        StringBuilder distribution = new StringBuilder();
        for (int p = 0; p <= k; p++) {
            distribution.append(p == 0 ? "" : " ").append(p).append(':').append(counts[p]);
        }
        return String.format(Locale.ROOT, "problems %d, kept %d, dropped %d (failed %d or more of %d), missing %d (%s); "
                        + "teacher passes of %d: %s",
                outcome.verdicts().size(), outcome.kept().size(), outcome.dropped().size(), outcome.maxFailures() + 1,
                k, outcome.incomplete().size(), missingBreakdown(outcome), k, distribution);
    }

    private static String missingBreakdown(TeacherFilter.Outcome outcome) {
        return "no samples " + outcome.withoutSamples() + ", errored samples " + outcome.withErroredSamples()
                + ", too few samples " + outcome.withTooFewSamples();
    }

    private static String ids(List<TeacherFilter.Verdict> verdicts) {
        String listed = verdicts.stream().limit(LISTED_IDS).map(v -> v.problem().id()).collect(Collectors.joining(", "));
        return verdicts.size() > LISTED_IDS ? listed + " and " + (verdicts.size() - LISTED_IDS) + " more" : listed;
    }

    private static boolean sameFile(Path a, Path b) {
        return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
    }
}
