package io.github.relayllm.eval.data;

import java.util.List;

/**
 * Which JSON fields of a dataset line hold the question, the answer and the id. Fields left null are found
 * automatically: question {@code question}, {@code problem}, {@code prompt}; answer {@code answer},
 * {@code solution}; id {@code id}, {@code unique_id}, {@code idx}, else the 0-based record number. The gold
 * solution (for grading the reference solutions themselves) is {@code solution} when present, else the answer.
 */
public record DatasetFormat(String questionField, String answerField, String idField) {

    public static final DatasetFormat AUTO = new DatasetFormat(null, null, null);

    static final List<String> QUESTION_FIELDS = List.of("question", "problem", "prompt");
    static final List<String> ANSWER_FIELDS = List.of("answer", "solution");
    static final List<String> ID_FIELDS = List.of("id", "unique_id", "idx");
}
