package io.github.relayllm.eval.data;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.relayllm.eval.grading.GradingKind;
import io.github.relayllm.eval.grading.ReferenceAnswer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A dataset of problems: JSON Lines, a JSON array or Big-Bench Hard's {@code examples} object
 * ({@link DatasetRecords}), in GSM8K, MATH, OlympiadBench, AIME, AMC, Minerva, MMLU-Pro or Big-Bench Hard layout, or
 * with fields named by a {@link DatasetFormat}.
 */
public final class Dataset {

    private final Path file;
    private final List<Problem> problems;
    private final DatasetRecords.Layout layout;

    private Dataset(Path file, List<Problem> problems, DatasetRecords.Layout layout) {
        this.file = file;
        this.problems = List.copyOf(problems);
        this.layout = layout;
    }

    public static Dataset load(Path file) {
        return load(file, DatasetFormat.AUTO);
    }

    public static Dataset load(Path file, DatasetFormat format) {
        DatasetRecords.Contents contents = DatasetRecords.read(file);
        List<ObjectNode> records = contents.records();
        if (records.isEmpty()) {
            throw new IllegalArgumentException("dataset " + file + " has no records");
        }
        ObjectNode first = records.get(0);
        String questionField = pick(format.questionField(), DatasetFormat.QUESTION_FIELDS, first, file, "question");
        String answerField = pick(format.answerField(), DatasetFormat.ANSWER_FIELDS, first, file, "answer");
        String idField = format.idField() != null ? format.idField()
                : DatasetFormat.ID_FIELDS.stream().filter(first::has).findFirst().orElse(null);
        GradingKind kind = format.grading() != null ? format.grading() : ReferenceReader.detect(first, answerField);
        List<Problem> problems = new ArrayList<>(records.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < records.size(); i++) {
            ObjectNode record = records.get(i);
            String question = JsonLines.text(record, questionField);
            String answer = JsonLines.text(record, answerField);
            if (question == null || answer == null) {
                throw new IllegalArgumentException("dataset " + file + " record " + i + " has no '"
                        + (question == null ? questionField : answerField) + "' field");
            }
            String id = idField == null ? String.valueOf(i) : JsonLines.text(record, idField);
            if (id == null) {
                throw new IllegalArgumentException("dataset " + file + " record " + i + " has no '" + idField
                        + "' field (set --id-field, or leave it out to number the records from 0)");
            }
            if (!ids.add(id)) {
                throw new IllegalArgumentException("dataset " + file + " has the id '" + id + "' twice (record " + i
                        + "); name a unique --id-field");
            }
            ReferenceAnswer reference = ReferenceReader.read(record, answerField, kind, file, i);
            if (kind == GradingKind.CHOICE) {
                question = ReferenceReader.withOptions(question, reference.options());
            }
            problems.add(new Problem(id, i, question, reference.text(),
                    ReferenceReader.goldSolution(record, answerField), reference));
        }
        if (problems.stream().allMatch(problem -> problem.answer().isEmpty())) {
            throw new IllegalArgumentException("dataset " + file + ": every reference answer read from the field '"
                    + answerField + "' is empty, so nothing could grade right; name the field that holds the answers "
                    + "with --answer-field");
        }
        return new Dataset(file, problems, contents.layout());
    }

    private static String pick(String named, List<String> candidates, ObjectNode first, Path file, String what) {
        if (named != null) {
            if (!first.has(named)) {
                throw new IllegalArgumentException("dataset " + file + " has no field '" + named + "' (the --"
                        + what + "-field); its fields are " + fieldNames(first));
            }
            return named;
        }
        return candidates.stream().filter(first::has).findFirst().orElseThrow(() -> new IllegalArgumentException(
                "dataset " + file + " has none of the " + what + " fields " + candidates + "; its fields are "
                        + fieldNames(first) + ": name one with --" + what + "-field"));
    }

    private static List<String> fieldNames(ObjectNode record) {
        List<String> names = new ArrayList<>();
        record.fieldNames().forEachRemaining(names::add);
        return names;
    }

    public Path file() {
        return file;
    }

    /** How the file was laid out (JSON Lines, a JSON array, an object with {@code examples}). */
    public DatasetRecords.Layout layout() {
        return layout;
    }

    public List<Problem> problems() {
        return problems;
    }

    public int size() {
        return problems.size();
    }
}
