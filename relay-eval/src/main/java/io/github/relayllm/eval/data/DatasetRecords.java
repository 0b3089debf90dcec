package io.github.relayllm.eval.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a dataset file's records in the layouts the public evaluation files come in: JSON Lines (one object per
 * line: GSM8K, MATH, the Qwen2.5-Math evaluation's files), a JSON array of objects (OlympiadBench's own files), or
 * one object whose {@code examples} array holds the records (Big-Bench Hard's {@code {"canary": …, "examples":
 * [{"input", "target"}]}}).
 */
public final class DatasetRecords {

    /** The layout a file was read in. */
    public enum Layout { JSON_LINES, JSON_ARRAY, EXAMPLES_OBJECT }

    /** A file's records and its layout. */
    public record Contents(Layout layout, List<ObjectNode> records) {
    }

    private DatasetRecords() {
    }

    public static Contents read(Path file) {
        List<String> lines = JsonLines.readLines(file); // names a missing file
        String text = String.join("\n", lines);
        int start = 0;
        while (start < text.length() && (Character.isWhitespace(text.charAt(start)) || text.charAt(start) == '\uFEFF')) {
            start++;
        }
        if (start < text.length() && text.charAt(start) == '[') {
            return new Contents(Layout.JSON_ARRAY, objects(parseWhole(text, file), file, "element"));
        }
        if (start < text.length() && text.charAt(start) == '{') {
            JsonNode only = singleValue(text);
            if (only instanceof ObjectNode object) {
                JsonNode examples = object.get("examples");
                if (examples instanceof ArrayNode array) {
                    return new Contents(Layout.EXAMPLES_OBJECT, objects(array, file, "example"));
                }
            }
        }
        return new Contents(Layout.JSON_LINES, JsonLines.read(file));
    }

    private static JsonNode parseWhole(String text, Path file) {
        try {
            return JsonLines.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " starts like a JSON array but is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The file's only JSON value, or null when it holds several (JSON Lines) or is not valid JSON as a whole. */
    private static JsonNode singleValue(String text) {
        try (JsonParser parser = JsonLines.MAPPER.createParser(text)) {
            JsonNode first = JsonLines.MAPPER.readTree(parser);
            return parser.nextToken() == null ? first : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static List<ObjectNode> objects(JsonNode array, Path file, String what) {
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof ObjectNode object)) {
                throw new IllegalArgumentException(file + ": " + what + " " + i + " is not a JSON object");
            }
            records.add(object);
        }
        return records;
    }
}
