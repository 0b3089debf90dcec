package io.github.relayllm.langchain4j.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool specification as Qwen3's template prints it: {@code {"type": "function", "function": {"name": …,
 * "description": …, "parameters": {json schema}}}} on one line, written like Python's {@code json.dumps} (separators
 * {@code ", "} and {@code ": "}, non-ASCII kept). LangChain4j's own schema-to-map helper is internal API, hence
 * this small one.
 */
public final class ToolSpecificationJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ToolSpecificationJson() {
    }

    public static String toJson(ToolSpecification tool) {
        Map<String, Object> function = new LinkedHashMap<>();
        function.put("name", Checks.ensureNotBlank(tool.name(), "toolSpecification.name"));
        if (tool.description() != null) {
            function.put("description", tool.description());
        }
        function.put("parameters", tool.parameters() != null ? schema(tool.parameters()) : emptyObjectSchema());
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("type", "function");
        root.put("function", function);
        StringBuilder json = new StringBuilder(128);
        write(json, root);
        return json.toString();
    }

    private static Map<String, Object> emptyObjectSchema() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", Map.of());
        return schema;
    }

    public static Map<String, Object> schema(JsonSchemaElement element) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (element instanceof JsonObjectSchema object) {
            map.put("type", "object");
            describe(map, element);
            Map<String, Object> properties = new LinkedHashMap<>();
            if (object.properties() != null) {
                object.properties().forEach((name, value) -> properties.put(name, schema(value)));
            }
            map.put("properties", properties);
            if (object.required() != null && !object.required().isEmpty()) {
                map.put("required", object.required());
            }
            if (object.additionalProperties() != null) {
                map.put("additionalProperties", object.additionalProperties());
            }
            if (object.definitions() != null && !object.definitions().isEmpty()) {
                Map<String, Object> definitions = new LinkedHashMap<>();
                object.definitions().forEach((name, value) -> definitions.put(name, schema(value)));
                map.put("$defs", definitions);
            }
        } else if (element instanceof JsonStringSchema) {
            typed(map, "string", element);
        } else if (element instanceof JsonIntegerSchema) {
            typed(map, "integer", element);
        } else if (element instanceof JsonNumberSchema) {
            typed(map, "number", element);
        } else if (element instanceof JsonBooleanSchema) {
            typed(map, "boolean", element);
        } else if (element instanceof JsonNullSchema) {
            typed(map, "null", element);
        } else if (element instanceof JsonEnumSchema enumSchema) {
            typed(map, "string", element);
            map.put("enum", enumSchema.enumValues());
        } else if (element instanceof JsonArraySchema array) {
            typed(map, "array", element);
            if (array.items() != null) {
                map.put("items", schema(array.items()));
            }
        } else if (element instanceof JsonAnyOfSchema anyOf) {
            describe(map, element);
            List<Object> options = new ArrayList<>();
            anyOf.anyOf().forEach(option -> options.add(schema(option)));
            map.put("anyOf", options);
        } else if (element instanceof JsonReferenceSchema reference) {
            map.put("$ref", "#/$defs/" + reference.reference());
            describe(map, element);
        } else if (element instanceof JsonRawSchema raw) {
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> parsed = MAPPER.readValue(raw.schema(), LinkedHashMap.class);
                return parsed;
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("a JsonRawSchema of a tool specification is not valid JSON: "
                        + e.getOriginalMessage(), e);
            }
        } else {
            throw new UnsupportedFeatureException("JSON schema element "
                    + (element == null ? "null" : element.getClass().getSimpleName()) + " cannot be rendered in a prompt");
        }
        return map;
    }

    private static void typed(Map<String, Object> map, String type, JsonSchemaElement element) {
        map.put("type", type);
        describe(map, element);
    }

    private static void describe(Map<String, Object> map, JsonSchemaElement element) {
        if (element.description() != null) {
            map.put("description", element.description());
        }
    }

    /** Python's {@code json.dumps(value, ensure_ascii=False)}. */
    public static void write(StringBuilder json, Object value) {
        if (value == null) {
            json.append("null");
        } else if (value instanceof String string) {
            string(json, string);
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long) {
            json.append(value);
        } else if (value instanceof Number number) {
            json.append(number.toString());
        } else if (value instanceof Map<?, ?> map) {
            json.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    json.append(", ");
                }
                first = false;
                string(json, String.valueOf(entry.getKey()));
                json.append(": ");
                write(json, entry.getValue());
            }
            json.append('}');
        } else if (value instanceof Iterable<?> list) {
            json.append('[');
            boolean first = true;
            for (Object item : list) {
                if (!first) {
                    json.append(", ");
                }
                first = false;
                write(json, item);
            }
            json.append(']');
        } else {
            string(json, value.toString());
        }
    }

    private static void string(StringBuilder json, String s) {
        json.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
