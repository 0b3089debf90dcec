package io.github.relayllm.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonReferenceSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import io.github.relayllm.langchain4j.internal.ToolSpecificationJson;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A JSON response format as the relay honours it: an instruction in the system turn (the models continue raw text,
 * so there is no server-side JSON mode to switch on), the schema handed to backends that can constrain sampling
 * (see {@link io.github.relayllm.langchain4j.backend.CompletionRequest#jsonSchema()}), and a check of the final answer, which throws
 * {@link RelayResponseFormatException} naming what does not match. A Markdown code fence around the JSON is removed.
 */
final class JsonResponseFormat {

    private static final ObjectMapper MAPPER =
            JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    private static final int MAX_PROBLEMS = 5;

    private final JsonSchemaElement root;
    private final Map<String, JsonSchemaElement> definitions;
    private final String schemaJson;

    private JsonResponseFormat(JsonSchemaElement root) {
        this.root = root;
        this.definitions = root instanceof JsonObjectSchema object && object.definitions() != null
                ? object.definitions() : Map.of();
        StringBuilder json = new StringBuilder();
        ToolSpecificationJson.write(json, root == null ? Map.of("type", "object") : ToolSpecificationJson.schema(root));
        this.schemaJson = json.toString();
    }

    /** The format to honour, or {@code null} for text (or no format). */
    static JsonResponseFormat of(ResponseFormat format) {
        if (format == null || format.type() != ResponseFormatType.JSON) {
            return null;
        }
        return new JsonResponseFormat(format.jsonSchema() == null ? null : format.jsonSchema().rootElement());
    }

    /** The schema as JSON text: the request's, or {@code {"type": "object"}} for plain JSON mode. */
    String schemaJson() {
        return schemaJson;
    }

    String instruction() {
        return root == null
                ? "Answer with one JSON object and nothing else: no explanation, no code fence."
                : "Answer with one JSON value and nothing else: no explanation, no code fence. It must match this "
                + "JSON schema:\n" + schemaJson;
    }

    /** The messages with the instruction added to the first system message, or in a new one before the rest. */
    List<ChatMessage> instruct(List<ChatMessage> messages) {
        List<ChatMessage> instructed = new ArrayList<>(messages.size() + 1);
        if (!messages.isEmpty() && messages.get(0) instanceof SystemMessage system) {
            instructed.add(SystemMessage.from(system.text() + "\n\n" + instruction()));
            instructed.addAll(messages.subList(1, messages.size()));
        } else {
            instructed.add(SystemMessage.from(instruction()));
            instructed.addAll(messages);
        }
        return instructed;
    }

    /**
     * The answer's JSON, fence removed, when it parses and matches the schema.
     *
     * @param why what ended the answer, for the message (e.g. {@code MAX_TOKENS})
     * @throws RelayResponseFormatException naming the first problems found
     */
    String validate(String answer, Object why) {
        String text = answer == null ? "" : unfence(answer.strip());
        JsonNode node;
        try {
            node = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new RelayResponseFormatException("the relay's answer is not valid JSON (" + e.getOriginalMessage()
                    + "; the answer ended with " + why + "): " + excerpt(text), answer);
        }
        if (node == null || node.isMissingNode()) {
            throw new RelayResponseFormatException("the relay's answer is empty, not JSON (the answer ended with "
                    + why + ")", answer);
        }
        List<String> problems = new ArrayList<>();
        if (root == null) {
            if (!node.isObject()) {
                problems.add("$ must be an object");
            }
        } else {
            check(node, root, "$", problems);
        }
        if (!problems.isEmpty()) {
            throw new RelayResponseFormatException("the relay's answer does not match the JSON schema: "
                    + String.join("; ", problems.subList(0, Math.min(MAX_PROBLEMS, problems.size())))
                    + (problems.size() > MAX_PROBLEMS ? "; ..." : "") + " (answer: " + excerpt(text) + ")", answer);
        }
        return text;
    }

    private static String unfence(String text) {
        if (text.startsWith("```") && text.endsWith("```") && text.length() >= 6) {
            int firstLine = text.indexOf('\n');
            if (firstLine > 0) {
                return text.substring(firstLine + 1, text.length() - 3).strip();
            }
        }
        return text;
    }

    private void check(JsonNode node, JsonSchemaElement schema, String path, List<String> problems) {
        if (schema instanceof JsonObjectSchema object) {
            if (!node.isObject()) {
                problems.add(path + " must be an object");
                return;
            }
            Map<String, JsonSchemaElement> properties = object.properties() == null ? Map.of() : object.properties();
            if (object.required() != null) {
                for (String name : object.required()) {
                    if (!node.has(name)) {
                        problems.add(path + "." + name + " is required");
                    }
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonSchemaElement property = properties.get(field.getKey());
                if (property != null) {
                    check(field.getValue(), property, path + "." + field.getKey(), problems);
                } else if (Boolean.FALSE.equals(object.additionalProperties())) {
                    problems.add(path + "." + field.getKey() + " is not allowed (no additional properties)");
                }
            }
        } else if (schema instanceof JsonStringSchema) {
            expect(node.isTextual(), path, "a string", problems);
        } else if (schema instanceof JsonIntegerSchema) {
            expect(node.isIntegralNumber() || node.isNumber() && node.asDouble() == Math.rint(node.asDouble()),
                    path, "an integer", problems);
        } else if (schema instanceof JsonNumberSchema) {
            expect(node.isNumber(), path, "a number", problems);
        } else if (schema instanceof JsonBooleanSchema) {
            expect(node.isBoolean(), path, "a boolean", problems);
        } else if (schema instanceof JsonNullSchema) {
            expect(node.isNull(), path, "null", problems);
        } else if (schema instanceof JsonEnumSchema enumSchema) {
            expect(node.isTextual() && enumSchema.enumValues().contains(node.asText()), path,
                    "one of " + enumSchema.enumValues(), problems);
        } else if (schema instanceof JsonArraySchema array) {
            if (!node.isArray()) {
                problems.add(path + " must be an array");
            } else if (array.items() != null) {
                for (int i = 0; i < node.size(); i++) {
                    check(node.get(i), array.items(), path + "[" + i + "]", problems);
                }
            }
        } else if (schema instanceof JsonAnyOfSchema anyOf) {
            for (JsonSchemaElement option : anyOf.anyOf()) {
                List<String> optionProblems = new ArrayList<>();
                check(node, option, path, optionProblems);
                if (optionProblems.isEmpty()) {
                    return;
                }
            }
            problems.add(path + " matches none of its anyOf schemas");
        } else if (schema instanceof JsonReferenceSchema reference) {
            JsonSchemaElement target = definitions.get(reference.reference());
            if (target != null) {
                check(node, target, path, problems);
            }
        }
        // JsonRawSchema and unknown elements: not checked here
    }

    private static void expect(boolean ok, String path, String what, List<String> problems) {
        if (!ok) {
            problems.add(path + " must be " + what);
        }
    }

    private static String excerpt(String text) {
        String oneLine = text.replace("\n", "\\n");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 197) + "...";
    }
}
