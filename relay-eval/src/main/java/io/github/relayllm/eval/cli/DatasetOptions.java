package io.github.relayllm.eval.cli;

import io.github.relayllm.eval.data.Dataset;
import io.github.relayllm.eval.data.DatasetFormat;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The dataset options shared by the commands that read one. */
final class DatasetOptions {

    @Option(names = "--dataset", required = true, paramLabel = "FILE",
            description = "JSONL dataset: GSM8K layout (question, answer with '#### x'), MATH layout (problem, answer) or fields named below")
    Path dataset;

    @Option(names = "--question-field", paramLabel = "NAME",
            description = "Field holding the question (default: question, problem or prompt)")
    String questionField;

    @Option(names = "--answer-field", paramLabel = "NAME",
            description = "Field holding the answer: the text after '####', else the last \\boxed{}, else the whole field (default: answer or solution)")
    String answerField;

    @Option(names = "--id-field", paramLabel = "NAME",
            description = "Field holding a unique id (default: id, unique_id or idx; else the 0-based record number)")
    String idField;

    Dataset load() {
        return Dataset.load(dataset, new DatasetFormat(questionField, answerField, idField));
    }
}
