package io.github.relayllm.eval.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.relayllm.eval.data.Dataset;
import io.github.relayllm.eval.data.JsonLines;
import io.github.relayllm.eval.data.Problem;
import io.github.relayllm.eval.grading.Grader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

@Command(name = "grade", mixinStandardHelpOptions = true,
        description = {"Grades a predictions file (JSONL with 'id' and 'output') against a dataset and prints the accuracy.",
                "'id' is the dataset's id field, or the 0-based record number when the dataset has none. Several "
                        + "predictions of one id (samples) are all graded; pass@k counts a problem solved when any is right."})
final class GradeCommand implements Callable<Integer> {

    @Mixin
    DatasetOptions datasetOptions;

    @Option(names = "--predictions", required = true, paramLabel = "FILE", description = "JSONL predictions: id and output")
    Path predictions;

    @Option(names = "--output-field", defaultValue = "output", paramLabel = "NAME",
            description = "Field of the predictions holding the model output (default: ${DEFAULT-VALUE})")
    String outputField;

    @Option(names = "--show-wrong", defaultValue = "0", paramLabel = "N", description = "Print the first N wrong predictions")
    int showWrong;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Dataset dataset = datasetOptions.load();
        Map<String, Problem> byId = dataset.problems().stream()
                .collect(Collectors.toMap(Problem::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
        List<ObjectNode> lines = JsonLines.read(predictions);
        PrintWriter out = spec.commandLine().getOut();
        int graded = 0;
        int correct = 0;
        int shown = 0;
        int answered = 0;
        Map<String, Boolean> solved = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            ObjectNode line = lines.get(i);
            String id = JsonLines.text(line, "id");
            if (id == null) {
                throw new IllegalArgumentException(predictions + " record " + i + " has no 'id'");
            }
            Problem problem = byId.get(id);
            if (problem == null) {
                throw new IllegalArgumentException(predictions + " record " + i + " has id '" + id
                        + "', which is not in " + dataset.file() + " (ids are the dataset's id field or 0-based record numbers)");
            }
            String output = JsonLines.text(line, outputField);
            Grader.Grade grade = Grader.grade(output == null ? "" : output, problem.answer());
            graded++;
            answered += grade.extracted().isPresent() ? 1 : 0;
            if (grade.correct()) {
                correct++;
            } else if (shown < showWrong) {
                shown++;
                out.printf(Locale.ROOT, "wrong: id %s, reference [%s], extracted [%s]%n", id, problem.reference(),
                        grade.extracted().orElse(null));
            }
            solved.merge(id, grade.correct(), Boolean::logicalOr);
        }
        long solvedCount = solved.values().stream().filter(Boolean::booleanValue).count();
        out.printf(Locale.ROOT, "predictions: %d for %d of %d problems%n", graded, solved.size(), dataset.size());
        out.printf(Locale.ROOT, "accuracy: %.2f%% (%d/%d)%n", GradeGoldCommand.percent(correct, graded), correct, graded);
        if (graded > solved.size()) {
            out.printf(Locale.ROOT, "pass@k (any sample right): %.2f%% (%d/%d)%n",
                    GradeGoldCommand.percent(solvedCount, solved.size()), solvedCount, solved.size());
        }
        if (graded > 0 && answered == 0) {
            spec.commandLine().getErr().println("warning: no prediction holds a final answer the grader can find "
                    + "(\\boxed{...}, '#### x', 'the answer is x', an option letter): check --output-field "
                    + outputField + " and the prompt's answer format; the accuracy above is not the model's score");
        }
        out.flush();
        return 0;
    }
}
