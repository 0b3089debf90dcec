package io.github.relayllm.eval.filter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.relayllm.eval.data.JsonLines;

import java.nio.file.Path;
import java.util.List;

/**
 * One line of the filtered dataset: the problem's dataset line with the teacher's numbers added as the fields
 * {@code teacher_passes}, {@code teacher_samples} and {@code teacher_pass_rate}.
 * <p>
 * The fields are appended to the line's own text, so every original field keeps its exact bytes (number spelling,
 * escapes, key order). Only a line that already has one of these fields (a filtered dataset filtered again) is
 * re-serialised, with the old values replaced in place.
 */
public final class FilteredRecord {

    public static final String PASSES = "teacher_passes";
    public static final String SAMPLES = "teacher_samples";
    public static final String PASS_RATE = "teacher_pass_rate";

    private static final List<String> FIELDS = List.of(PASSES, SAMPLES, PASS_RATE);

    private FilteredRecord() {
    }

    /**
     * @param datasetLine the problem's line of the dataset file
     * @param passes      correct teacher samples
     * @param samples     teacher samples (K)
     */
    public static String line(String datasetLine, int passes, int samples) {
        String line = datasetLine.strip();
        ObjectNode record = JsonLines.parseObject(line, Path.of("dataset"), 0);
        double passRate = (double) passes / samples;
        if (FIELDS.stream().anyMatch(record::has)) {
            record.put(PASSES, passes);
            record.put(SAMPLES, samples);
            record.put(PASS_RATE, passRate);
            try {
                return JsonLines.mapper().writeValueAsString(record);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write a filtered record: " + e.getMessage(), e);
            }
        }
        String body = line.substring(0, line.length() - 1).stripTrailing(); // parsed as an object: ends with '}'
        String separator = record.isEmpty() ? "" : ",";
        return body + separator + "\"" + PASSES + "\":" + passes + ",\"" + SAMPLES + "\":" + samples
                + ",\"" + PASS_RATE + "\":" + passRate + "}";
    }
}
