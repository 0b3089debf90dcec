package io.github.relayllm.langchain4j.llamacpp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.exception.UnsupportedFeatureException;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Checks a JSON schema before java-llama.cpp turns it into a grammar. Its converter (llama.cpp's
 * {@code json_schema_to_grammar}, called through JNI with no exception handling) aborts the whole JVM on malformed
 * JSON, an unrecognised schema ({@code {"type":"foo"}}) or an unsupported {@code $ref}. So only a subset known to
 * convert reaches it: the types, {@code properties}/{@code required}/{@code additionalProperties}, {@code items},
 * {@code enum}/{@code const}, {@code anyOf}/{@code oneOf}/{@code allOf}, local {@code $ref}s to {@code $defs} or
 * {@code definitions}, and length, item-count and number bounds; annotations ({@code description}, ...) are
 * ignored. Anything else fails with a message naming it.
 */
final class LlamaCppJsonSchemas {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> TYPES = Set.of("object", "array", "string", "integer", "number", "boolean", "null");
    private static final Set<String> STRING_FORMATS = Set.of("date", "time", "date-time", "uuid");
    private static final Set<String> KEYWORDS = Set.of("type", "properties", "required", "additionalProperties",
            "items", "enum", "const", "anyOf", "oneOf", "allOf", "$ref", "$defs", "definitions", "minLength",
            "maxLength", "minItems", "maxItems", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
            "format", "$schema", "$id", "title", "description", "default", "examples", "$comment");

    private LlamaCppJsonSchemas() {
    }

    /** The schema as the converter may safely read it. */
    static String check(String schema, String backend) {
        JsonNode root;
        try {
            root = JSON.readTree(schema);
        } catch (JsonProcessingException e) {
            throw unsupported(backend, "is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw unsupported(backend, "must be a JSON object");
        }
        check(root, root, "#", backend);
        return schema;
    }

    private static void check(JsonNode schema, JsonNode root, String path, String backend) {
        if (!schema.isObject()) {
            throw unsupported(backend, "has " + path + " that is not a schema object");
        }
        if (!recognised(schema)) {
            // the converter would stop on "Unrecognized schema", and take the JVM with it
            throw unsupported(backend, "has " + path + " with no type, properties, items, enum, const, anyOf, oneOf, "
                    + "allOf or $ref");
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = schema.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String keyword = field.getKey();
            JsonNode value = field.getValue();
            String at = path + "/" + keyword;
            if (!KEYWORDS.contains(keyword)) {
                throw unsupported(backend, "uses " + at + ", which the in-process engine cannot turn into a grammar safely");
            }
            switch (keyword) {
                case "type" -> checkType(value, at, backend);
                case "properties", "$defs", "definitions" -> {
                    requireObject(value, at, backend);
                    value.fields().forEachRemaining(entry -> check(entry.getValue(), root, at + "/" + entry.getKey(), backend));
                }
                case "additionalProperties" -> {
                    if (!value.isBoolean()) {
                        check(value, root, at, backend);
                    }
                }
                case "items" -> check(value, root, at, backend);
                case "anyOf", "oneOf", "allOf" -> {
                    if (!value.isArray() || value.isEmpty()) {
                        throw unsupported(backend, "has " + at + " that is not a non-empty array");
                    }
                    for (int i = 0; i < value.size(); i++) {
                        check(value.get(i), root, at + "/" + i, backend);
                    }
                }
                case "enum" -> {
                    if (!value.isArray() || value.isEmpty()) {
                        throw unsupported(backend, "has " + at + " that is not a non-empty array");
                    }
                }
                case "$ref" -> checkRef(value, root, at, backend);
                case "format" -> {
                    if (!STRING_FORMATS.contains(value.asText())) {
                        throw unsupported(backend, "uses " + at + " \"" + value.asText() + "\"; supported formats are "
                                + STRING_FORMATS);
                    }
                }
                case "required" -> {
                    if (!value.isArray()) {
                        throw unsupported(backend, "has " + at + " that is not an array");
                    }
                }
                case "minLength", "maxLength", "minItems", "maxItems", "minimum", "maximum", "exclusiveMinimum",
                     "exclusiveMaximum" -> {
                    if (!value.isNumber()) {
                        throw unsupported(backend, "has " + at + " that is not a number");
                    }
                }
                default -> {
                    // const and annotations: any value
                }
            }
        }
    }

    /** Whether llama.cpp's converter has a rule for the schema (an empty schema means any value). */
    private static boolean recognised(JsonNode schema) {
        if (schema.isEmpty()) {
            return true;
        }
        for (String keyword : new String[] {"type", "properties", "items", "enum", "const", "anyOf", "oneOf", "allOf", "$ref"}) {
            if (schema.has(keyword)) {
                return true;
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        return (additional != null && !(additional.isBoolean() && additional.asBoolean()))
                || (schema.has("format") && STRING_FORMATS.contains(schema.get("format").asText()));
    }

    private static void checkType(JsonNode type, String at, String backend) {
        if (type.isTextual() && TYPES.contains(type.asText())) {
            return;
        }
        if (type.isArray() && !type.isEmpty()) {
            for (JsonNode element : type) {
                checkType(element, at, backend);
            }
            return;
        }
        throw unsupported(backend, "has " + at + " " + type + "; supported types are " + TYPES);
    }

    private static void checkRef(JsonNode ref, JsonNode root, String at, String backend) {
        String target = ref.asText();
        if (!(target.startsWith("#/$defs/") || target.startsWith("#/definitions/"))) {
            throw unsupported(backend, "has " + at + " \"" + target + "\"; only local references to #/$defs/... or "
                    + "#/definitions/... are supported");
        }
        if (root.at(target.substring(1)).isMissingNode()) {
            throw unsupported(backend, "has " + at + " \"" + target + "\", which points nowhere");
        }
    }

    private static void requireObject(JsonNode value, String at, String backend) {
        if (!value.isObject()) {
            throw unsupported(backend, "has " + at + " that is not an object");
        }
    }

    private static UnsupportedFeatureException unsupported(String backend, String problem) {
        return new UnsupportedFeatureException(backend + ": the jsonSchema " + problem);
    }
}
