package io.github.relayllm.eval.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads JSON Lines files: one JSON object per line, blank lines skipped. */
public final class JsonLines {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLines() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Every object in the file; a line that is not a JSON object fails with its file and line number. */
    public static List<ObjectNode> read(Path file) {
        List<ObjectNode> records = new ArrayList<>();
        List<String> lines = readLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            records.add(parseObject(line, file, i + 1));
        }
        return records;
    }

    /**
     * The file's records as the text of their lines, blank lines skipped: element i is the line of record i of
     * {@link #read} (and of {@link Dataset#load}).
     */
    public static List<String> recordLines(Path file) {
        return readLines(file).stream().filter(line -> !line.isBlank()).toList();
    }

    static List<String> readLines(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("file not found: " + file);
        }
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public static ObjectNode parseObject(String line, Path file, int lineNumber) {
        try {
            JsonNode node = MAPPER.readTree(line);
            if (node instanceof ObjectNode object) {
                return object;
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " line " + lineNumber + " is not valid JSON: "
                    + e.getOriginalMessage());
        }
        throw new IllegalArgumentException(file + " line " + lineNumber + " is not a JSON object");
    }

    /** A field as text: strings as they are, numbers as written ({@code 3}, not {@code 3.0}); null when absent. */
    public static String text(JsonNode record, String field) {
        JsonNode value = record.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }
}
