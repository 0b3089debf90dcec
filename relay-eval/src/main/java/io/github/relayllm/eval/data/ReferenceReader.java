package io.github.relayllm.eval.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.relayllm.eval.grading.AnswerExtractor;
import io.github.relayllm.eval.grading.Grader;
import io.github.relayllm.eval.grading.GradingKind;
import io.github.relayllm.eval.grading.ReferenceAnswer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a record's reference answer as its benchmark means it: a string (GSM8K's {@code #### x}, a MATH solution's
 * last {@code \boxed{}}, else the whole text), a number (AMC's {@code 27.0}), a list of which any item counts
 * (OlympiadBench's {@code final_answer}; all items when the record says {@code is_multiple_answer}), or for multiple
 * choice a letter ({@code answer}) or a 0-based index ({@code answer_index}) into the {@code options} list.
 */
final class ReferenceReader {

    private ReferenceReader() {
    }

    /** The grading a dataset needs when none is named: by its first record and answer field. */
    static GradingKind detect(ObjectNode first, String answerField) {
        if (first.get("options") instanceof ArrayNode) {
            return GradingKind.CHOICE;
        }
        return answerField.equals("target") ? GradingKind.EXACT : GradingKind.MATH;
    }

    static ReferenceAnswer read(ObjectNode record, String answerField, GradingKind kind, Path file, int index) {
        JsonNode value = record.get(answerField);
        if (kind == GradingKind.CHOICE) {
            return choice(record, value, answerField, file, index);
        }
        List<String> answers = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(item -> answers.add(answer(item)));
        } else {
            answers.add(answer(value));
        }
        boolean allRequired = kind == GradingKind.MATH && answers.size() > 1
                && record.path("is_multiple_answer").asBoolean(false);
        String unit = kind == GradingKind.MATH && record.path("unit").isTextual()
                && !record.get("unit").asText().isBlank() ? record.get("unit").asText().strip() : null;
        return new ReferenceAnswer(kind, answers, allRequired, unit, List.of());
    }

    private static String answer(JsonNode item) {
        if (item == null || item.isNull()) {
            return "";
        }
        String text = item.isValueNode() ? item.asText() : item.toString();
        return Grader.referenceAnswer(text); // a Big-Bench Hard target has no '####' or \boxed{}: itself
    }

    private static ReferenceAnswer choice(ObjectNode record, JsonNode value, String answerField, Path file, int index) {
        JsonNode optionsNode = record.get("options");
        if (optionsNode == null || !optionsNode.isArray() || optionsNode.isEmpty()) {
            throw new IllegalArgumentException("dataset " + file + " record " + index + " has no 'options' list, "
                    + "which multiple-choice grading needs (or grade it with --grading math or exact)");
        }
        List<String> options = new ArrayList<>();
        optionsNode.forEach(option -> options.add(option.isValueNode() ? option.asText() : option.toString()));
        String letter = null;
        if (value.isIntegralNumber()) {
            letter = letter(value.asInt(), options);
        } else if (value.isTextual()) {
            String text = value.asText().strip().replaceAll("^\\((.)\\)$", "$1").toUpperCase(Locale.ROOT);
            if (text.length() == 1 && text.charAt(0) >= 'A' && text.charAt(0) - 'A' < options.size()) {
                letter = text;
            } else {
                int at = options.indexOf(value.asText().strip());
                letter = at >= 0 ? letter(at, options) : null;
            }
        }
        if (letter == null) {
            throw new IllegalArgumentException("dataset " + file + " record " + index + ": its '" + answerField
                    + "' (" + value + ") is neither an option letter A-" + (char) ('A' + options.size() - 1)
                    + ", a 0-based option index, nor an option's text");
        }
        return new ReferenceAnswer(GradingKind.CHOICE, List.of(letter), false, null, options);
    }

    private static String letter(int optionIndex, List<String> options) {
        return optionIndex >= 0 && optionIndex < options.size() ? String.valueOf((char) ('A' + optionIndex)) : null;
    }

    /** The question with a multiple-choice problem's options under it, one per line: {@code (A) …}. */
    static String withOptions(String question, List<String> options) {
        StringBuilder text = new StringBuilder(question.strip()).append("\n\nOptions:");
        for (int i = 0; i < options.size(); i++) {
            text.append("\n(").append((char) ('A' + i)).append(") ").append(options.get(i));
        }
        return text.toString();
    }

    /**
     * The dataset's worked solution for gold checks: the {@code solution} field, else the answer field, when it is a
     * text with a final answer the grader finds ({@code \boxed{}}, {@code ####}, "the answer is"); else null.
     */
    static String goldSolution(ObjectNode record, String answerField) {
        for (String field : List.of("solution", answerField)) {
            JsonNode node = record.get(field);
            if (node != null && node.isTextual() && AnswerExtractor.extract(node.asText()).isPresent()) {
                return node.asText();
            }
        }
        return null;
    }
}
