package io.github.relayllm.eval.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.relayllm.eval.data.JsonLines;

/**
 * One line of a results file: one sample of one problem, as run and graded.
 *
 * @param id                  the problem's id
 * @param sample              the sample number, 0 to k-1
 * @param mode                {@link EvalMode#label()}
 * @param studentModel        the student backend's model name; null when no student ran
 * @param teacherModel        the teacher backend's model name; null when no teacher was configured
 * @param prompt              the user message sent
 * @param output              the answer text the setup returned (commands removed)
 * @param extracted           the final answer found in the output; null when none
 * @param reference           the reference answer
 * @param correct             whether the extracted answer equals the reference
 * @param studentTokens       tokens the student generated
 * @param teacherTokens       tokens the teacher generated
 * @param studentPromptTokens prompt tokens the student read, summed over its calls
 * @param teacherPromptTokens prompt tokens the teacher read, summed over its calls
 * @param rounds              teacher calls
 * @param studentLatencyMs    time spent in the student's calls
 * @param teacherLatencyMs    time spent in the teacher's calls
 * @param latencyMs           wall time of the whole request
 * @param callRatio           teacher tokens / all generated tokens of this answer
 * @param finishReason        why the answer ended (the relay's finish reason), or ERROR
 * @param error               the failure message when the request failed; null otherwise
 */
public record ResultRecord(String id, int sample, String mode, String studentModel, String teacherModel,
                           String prompt, String output, String extracted, String reference, boolean correct,
                           long studentTokens, long teacherTokens, long studentPromptTokens, long teacherPromptTokens,
                           int rounds, long studentLatencyMs, long teacherLatencyMs, long latencyMs, double callRatio,
                           String finishReason, String error) {

    /** Generated tokens of both models. */
    public long generatedTokens() {
        return studentTokens + teacherTokens;
    }

    public boolean failed() {
        return error != null;
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonLines.mapper().createObjectNode();
        json.put("id", id);
        json.put("sample", sample);
        json.put("mode", mode);
        json.put("student_model", studentModel);
        json.put("teacher_model", teacherModel);
        json.put("prompt", prompt);
        json.put("output", output);
        json.put("extracted", extracted);
        json.put("reference", reference);
        json.put("correct", correct);
        json.put("student_tokens", studentTokens);
        json.put("teacher_tokens", teacherTokens);
        json.put("student_prompt_tokens", studentPromptTokens);
        json.put("teacher_prompt_tokens", teacherPromptTokens);
        json.put("rounds", rounds);
        json.put("student_latency_ms", studentLatencyMs);
        json.put("teacher_latency_ms", teacherLatencyMs);
        json.put("latency_ms", latencyMs);
        json.put("call_ratio", callRatio);
        json.put("finish_reason", finishReason);
        if (error != null) {
            json.put("error", error);
        }
        return json;
    }

    /** Reads a results line; fails naming the field when a required one is missing. */
    public static ResultRecord fromJson(JsonNode json) {
        return new ResultRecord(required(json, "id"), (int) number(json, "sample"), JsonLines.text(json, "mode"),
                JsonLines.text(json, "student_model"), JsonLines.text(json, "teacher_model"),
                JsonLines.text(json, "prompt"), JsonLines.text(json, "output"), JsonLines.text(json, "extracted"),
                JsonLines.text(json, "reference"), json.path("correct").asBoolean(false),
                number(json, "student_tokens"), number(json, "teacher_tokens"), number(json, "student_prompt_tokens"),
                number(json, "teacher_prompt_tokens"), (int) number(json, "rounds"),
                number(json, "student_latency_ms"), number(json, "teacher_latency_ms"), number(json, "latency_ms"),
                json.path("call_ratio").asDouble(0), JsonLines.text(json, "finish_reason"),
                JsonLines.text(json, "error"));
    }

    private static String required(JsonNode json, String field) {
        String value = JsonLines.text(json, field);
        if (value == null) {
            throw new IllegalArgumentException("results line has no '" + field + "': " + json);
        }
        return value;
    }

    private static long number(JsonNode json, String field) {
        return json.path(field).asLong(0);
    }
}
