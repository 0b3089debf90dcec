package io.github.relayllm.eval.data;

import io.github.relayllm.eval.grading.GradingKind;

import java.util.List;

/**
 * Which JSON fields of a dataset record hold the question, the answer and the id, and how answers are graded.
 * Fields left null are found automatically: question {@code question}, {@code problem}, {@code prompt},
 * {@code input} (Big-Bench Hard); answer {@code answer}, {@code final_answer} (OlympiadBench), {@code target}
 * (Big-Bench Hard), {@code solution}; id {@code id}, {@code unique_id}, {@code idx}, {@code question_id}
 * (MMLU-Pro), else the 0-based record number. A null grading is found too: {@code choice} when records have an
 * {@code options} list, {@code exact} when the answer field is {@code target}, else {@code math}.
 */
public record DatasetFormat(String questionField, String answerField, String idField, GradingKind grading) {

    public static final DatasetFormat AUTO = new DatasetFormat(null, null, null, null);

    static final List<String> QUESTION_FIELDS = List.of("question", "problem", "prompt", "input");
    static final List<String> ANSWER_FIELDS = List.of("answer", "final_answer", "target", "solution");
    static final List<String> ID_FIELDS = List.of("id", "unique_id", "idx", "question_id");

    /** Fields named (null: found automatically), grading found from the records. */
    public DatasetFormat(String questionField, String answerField, String idField) {
        this(questionField, answerField, idField, null);
    }
}
