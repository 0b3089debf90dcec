package io.github.relayllm.eval.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.relayllm.eval.data.Dataset;
import io.github.relayllm.eval.data.JsonLines;
import io.github.relayllm.eval.grading.GoldCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "grade-gold", mixinStandardHelpOptions = true,
        description = {"Checks the grader on a dataset's own gold solutions: each gold solution (the 'solution' field, "
                + "else the answer field, when it holds a final answer) must grade correct against its reference, and "
                + "a seeded shuffled pairing (no problem keeps its solution or gets one with the same normalised "
                + "answer) must grade wrong.",
                "A problem without a solution text (AMC, AIME, OlympiadBench, MMLU-Pro, Big-Bench Hard) is checked "
                        + "with its reference written the usual ways (\\boxed{27} for 27.0, 25 for \"025\", "
                        + "'The answer is (C).', 'So the answer is True.'): its own pairing counts correct when every "
                        + "form grades correct, a shuffled pairing counts correct when any form does.",
                "Optionally writes both pairings as predictions files for the 'grade' command."})
final class GradeGoldCommand implements Callable<Integer> {

    @Mixin
    DatasetOptions datasetOptions;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the shuffled pairing (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--show", defaultValue = "10", paramLabel = "N",
            description = "How many failures of each kind to print (default: ${DEFAULT-VALUE})")
    int show;

    @Option(names = "--write-predictions", paramLabel = "FILE", description = "Write the gold pairing as a predictions file (id, output)")
    Path goldPredictions;

    @Option(names = "--write-shuffled", paramLabel = "FILE", description = "Write the shuffled pairing as a predictions file (id, output)")
    Path shuffledPredictions;

    @Option(names = "--all-pairs", description = "Also grade every reference against every other reference of different "
            + "normalised text and list the pairs graded equal (slow: n^2 comparisons)")
    boolean allPairs;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Dataset dataset = datasetOptions.load();
        GoldCheck.Result result = GoldCheck.run(dataset.problems(), seed);
        PrintWriter out = spec.commandLine().getOut();
        int n = dataset.size();
        out.printf(Locale.ROOT, "dataset: %s (%d problems)%n", dataset.file(), n);
        long withSolution = dataset.problems().stream().filter(problem -> problem.goldSolution() != null).count();
        if (withSolution < n) {
            out.printf(Locale.ROOT, "gold answers: %d solution texts; %d references without one written the usual ways "
                    + "(e.g. %s), each form graded%n", withSolution, n - withSolution,
                    GoldCheck.outputs(dataset.problems().stream().filter(problem -> problem.goldSolution() == null)
                            .findFirst().orElseThrow()));
        }
        out.printf(Locale.ROOT, "gold solutions graded correct: %d/%d = %.2f%%%n", result.goldCorrect(), n,
                percent(result.goldCorrect(), n));
        out.printf(Locale.ROOT, "shuffled pairing (seed %d) graded wrong: %d/%d = %.2f%%%n", seed,
                result.shuffledWrong(), n, percent(result.shuffledWrong(), n));
        out.printf(Locale.ROOT, "plain shuffle (seed %d, pairs may share an answer) graded wrong: %d/%d = %.2f%%%n",
                seed, result.plainShuffledWrong(), n, percent(result.plainShuffledWrong(), n));
        printFailures(out, "gold solution graded wrong", result.gold().stream().filter(p -> !p.correct()).toList());
        printFailures(out, "shuffled pair graded correct", result.shuffled().stream().filter(GoldCheck.Pair::correct).toList());
        if (allPairs) {
            long[] compared = new long[1];
            List<GoldCheck.Pair> equal = GoldCheck.equalReferencesOfDifferentText(dataset.problems(), compared);
            out.printf(Locale.ROOT, "all pairs of references with different normalised text graded equal: %d/%d = %.4f%%%n",
                    equal.size(), compared[0], percent(equal.size(), compared[0]));
            equal.stream().map(pair -> "  [" + pair.problem().reference() + "] = [" + pair.solutionOf().reference() + "]")
                    .distinct().forEach(out::println);
        }
        if (goldPredictions != null) {
            write(goldPredictions, result.gold());
            out.println("wrote " + goldPredictions);
        }
        if (shuffledPredictions != null) {
            write(shuffledPredictions, result.shuffled());
            out.println("wrote " + shuffledPredictions);
        }
        out.flush();
        return 0;
    }

    private void printFailures(PrintWriter out, String title, List<GoldCheck.Pair> failures) {
        for (GoldCheck.Pair pair : failures.subList(0, Math.min(show, failures.size()))) {
            out.printf(Locale.ROOT, "  %s: id %s, reference [%s], extracted [%s] (solution of id %s)%n", title,
                    pair.problem().id(), pair.problem().reference(), pair.extracted(), pair.solutionOf().id());
        }
    }

    private static void write(Path file, List<GoldCheck.Pair> pairs) throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (GoldCheck.Pair pair : pairs) {
                ObjectNode line = JsonLines.mapper().createObjectNode();
                line.put("id", pair.problem().id());
                line.put("output", GoldCheck.outputs(pair.solutionOf()).get(0));
                writer.write(JsonLines.mapper().writeValueAsString(line));
                writer.newLine();
            }
        }
    }

    static double percent(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }
}
