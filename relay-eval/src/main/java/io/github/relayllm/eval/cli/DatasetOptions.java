package io.github.relayllm.eval.cli;

import io.github.relayllm.eval.data.Dataset;
import io.github.relayllm.eval.data.DatasetFormat;
import io.github.relayllm.eval.grading.GradingKind;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The dataset options shared by the commands that read one. */
final class DatasetOptions {

    @Option(names = "--dataset", required = true, paramLabel = "FILE",
            description = "Dataset: JSONL, a JSON array or Big-Bench Hard's {\"examples\": [...]}; GSM8K, MATH, "
                    + "OlympiadBench, AIME, AMC, Minerva, MMLU-Pro or Big-Bench Hard layout, or fields named below")
    Path dataset;

    @Option(names = "--question-field", paramLabel = "NAME",
            description = "Field holding the question (default: question, problem, prompt or input)")
    String questionField;

    @Option(names = "--answer-field", paramLabel = "NAME",
            description = "Field holding the answer: the text after '####', else the last \\boxed{}, else the whole field; a "
                    + "number; or a list, any item counting (default: answer, final_answer, target or solution)")
    String answerField;

    @Option(names = "--id-field", paramLabel = "NAME",
            description = "Field holding a unique id (default: id, unique_id, idx or question_id; else the 0-based record "
                    + "number)")
    String idField;

    @Option(names = "--grading", paramLabel = "KIND",
            description = "math (by value), exact (Big-Bench Hard's exact match) or choice (multiple choice, an "
                    + "'options' list) (default: choice when records have 'options', exact when the answer field is "
                    + "'target', else math)")
    String grading;

    Dataset load() {
        return Dataset.load(dataset, new DatasetFormat(questionField, answerField, idField,
                grading == null ? null : GradingKind.fromLabel(grading)));
    }
}
