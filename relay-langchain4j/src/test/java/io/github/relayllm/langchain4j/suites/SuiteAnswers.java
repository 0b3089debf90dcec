package io.github.relayllm.langchain4j.suites;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the fake models of {@link SuiteModelServer} know: the answers to the questions LangChain4j's common chat
 * model suites ask, worked out from the raw ChatML prompt the relay sends, the way a model would have to. Nothing
 * here looks at the Java request: a system message, an earlier turn, a tool, a tool result or a JSON schema that the
 * relay failed to render into the prompt changes the answer, and the suite's assertion fails.
 * <p>
 * Each answer names a {@code handoff}: the span the student hands to the teacher with {@code <call>N</call>}, so
 * every suite test runs at least one relay round (the student writes up to the span, the teacher the span, the
 * student the rest).
 */
final class SuiteAnswers {

    static final String IM_START = "<|im_start|>";
    static final String IM_END = "<|im_end|>";
    private static final String THINK_BLOCK = "<think>\n\n</think>\n\n";
    private static final String SCHEMA_LEAD = "It must match this JSON schema:\n";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> CITIES = List.of("Munich", "Berlin", "Paris");
    private static final List<String> COUNTRIES = List.of("France", "Germany");
    private static final Map<String, String> GERMAN = Map.of("I love you", "Ich liebe dich");
    private static final Pattern FAVOURITE_COLOUR = Pattern.compile("my favorite color is (\\w+)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TOOL_RESPONSE = Pattern.compile("<tool_response>\\n(.*?)\\n</tool_response>",
            Pattern.DOTALL);
    private static final Pattern FIELD_NAMED = Pattern.compile("'(\\w+)' field");

    /** The whole answer, and the span of it (its first occurrence) that the teacher writes; null: no call. */
    record Answer(String text, String handoff) {
    }

    /** The conversation in a prompt, and the assistant text written so far (after the empty think block). */
    record Conversation(List<Turn> turns, String written) {

        Turn lastUser() {
            for (int i = turns.size() - 1; i >= 0; i--) {
                if (turns.get(i).role().equals("user")) {
                    return turns.get(i);
                }
            }
            return new Turn("user", "");
        }

        String system() {
            return turns.isEmpty() || !turns.get(0).role().equals("system") ? "" : turns.get(0).text();
        }
    }

    record Turn(String role, String text) {
    }

    private SuiteAnswers() {
    }

    /** Reads the ChatML turns of a prompt that ends in an open assistant turn. */
    static Conversation parse(String prompt) {
        List<Turn> turns = new ArrayList<>();
        String[] parts = prompt.split(Pattern.quote(IM_START), -1);
        String written = "";
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            int newline = part.indexOf('\n');
            String role = newline < 0 ? part : part.substring(0, newline);
            String body = newline < 0 ? "" : part.substring(newline + 1);
            int end = body.indexOf(IM_END);
            if (i == parts.length - 1 && role.equals("assistant") && end < 0) {
                written = body.startsWith(THINK_BLOCK) ? body.substring(THINK_BLOCK.length()) : body;
            } else {
                turns.add(new Turn(role, end < 0 ? body : body.substring(0, end)));
            }
        }
        return new Conversation(turns, written);
    }

    static Answer answer(Conversation conversation) {
        String system = conversation.system();
        String user = conversation.lastUser().text();
        List<String> toolResults = new ArrayList<>();
        Matcher results = TOOL_RESPONSE.matcher(user);
        while (results.find()) {
            toolResults.add(results.group(1));
        }
        Map<String, String> facts = facts(conversation, toolResults);
        JsonNode schema = schema(system);
        if (!toolResults.isEmpty()) {
            if (schema != null) {
                return json(schema, user, facts);
            }
            return new Answer("The tools say: " + String.join(" and ", toolResults) + ".", toolResults.get(0));
        }
        Answer calls = toolCalls(system, user);
        if (calls != null) {
            return calls;
        }
        if (schema != null) {
            return json(schema, user, facts);
        }
        String capital = facts.get("city");
        if (capital != null) {
            String text = "The capital of Germany is " + capital + ".";
            if (user.contains("2 + 2")) {
                text += " And 2 + 2 is 4.";
            }
            return new Answer(text, capital);
        }
        if (system.contains("into German")) {
            for (Map.Entry<String, String> phrase : GERMAN.entrySet()) {
                if (user.contains(phrase.getKey())) {
                    return new Answer(phrase.getValue() + ".", "liebe");
                }
            }
        }
        if (facts.containsKey("color") && user.toLowerCase(Locale.ROOT).contains("favorite color")) {
            return new Answer("Your favorite color is " + facts.get("color") + ".", facts.get("color"));
        }
        if (user.toLowerCase(Locale.ROOT).contains("long story")) {
            return new Answer(story(), "fox");
        }
        if (user.toLowerCase(Locale.ROOT).startsWith("hello")) {
            return new Answer("Hello! How can I help you today?", "help");
        }
        return new Answer("I do not know.", null);
    }

    /** What the conversation establishes: the capital asked for, a colour the user named, tool results by tool. */
    private static Map<String, String> facts(Conversation conversation, List<String> toolResults) {
        Map<String, String> facts = new LinkedHashMap<>();
        String user = conversation.lastUser().text();
        if (user.contains("capital of Germany")) {
            facts.put("city", "Berlin");
        }
        for (Turn turn : conversation.turns()) {
            Matcher colour = turn.role().equals("user") ? FAVOURITE_COLOUR.matcher(turn.text()) : null;
            if (colour != null && colour.find()) {
                facts.put("color", colour.group(1));
            }
        }
        // the tool calls of the assistant turn before the results say which result is which
        List<String> calledTools = new ArrayList<>();
        for (Turn turn : conversation.turns()) {
            if (turn.role().equals("assistant")) {
                calledTools.clear();
                Matcher name = Pattern.compile("\"name\": \"(\\w+)\"").matcher(turn.text());
                while (name.find()) {
                    calledTools.add(name.group(1));
                }
            }
        }
        for (int i = 0; i < toolResults.size() && i < calledTools.size(); i++) {
            String tool = calledTools.get(i).toLowerCase(Locale.ROOT);
            facts.put(tool.startsWith("get") ? tool.substring(3) : tool, toolResults.get(i));
        }
        return facts;
    }

    /** The tools of the system turn that the user's words call for, as Qwen3 tool-call blocks; null: none. */
    private static Answer toolCalls(String system, String user) {
        int open = system.indexOf("<tools>\n");
        int close = system.indexOf("\n</tools>");
        if (open < 0 || close < open) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        String handoff = null;
        for (String line : system.substring(open + "<tools>\n".length(), close).split("\n")) {
            JsonNode function = read(line).path("function");
            String name = function.path("name").asText();
            Map<String, String> arguments = arguments(function.path("parameters").path("properties"), name, user);
            if (arguments == null) {
                continue;
            }
            if (!text.isEmpty()) {
                text.append('\n');
            }
            String argumentsJson = write(arguments);
            text.append("<tool_call>\n{\"name\": \"").append(name).append("\", \"arguments\": ")
                    .append(argumentsJson).append("}\n</tool_call>");
            if (handoff == null) {
                handoff = arguments.isEmpty() ? name : arguments.values().iterator().next();
            }
        }
        return text.isEmpty() ? null : new Answer(text.toString(), handoff);
    }

    /** A tool's arguments when the user's words fill every parameter (a tool without any: when named); else null. */
    private static Map<String, String> arguments(JsonNode properties, String name, String user) {
        Map<String, String> arguments = new LinkedHashMap<>();
        if (properties.isEmpty()) {
            return user.contains(name) ? arguments : null;
        }
        for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
            String parameter = names.next();
            List<String> known = parameter.equals("city") ? CITIES : parameter.equals("country") ? COUNTRIES : List.of();
            String value = known.stream().filter(user::contains).findFirst().orElse(null);
            if (value == null) {
                return null;
            }
            arguments.put(parameter, value);
        }
        return arguments;
    }

    /** The JSON schema of the relay's JSON instruction, {@code {}} for plain JSON mode, or null: no instruction. */
    private static JsonNode schema(String system) {
        int lead = system.indexOf(SCHEMA_LEAD);
        if (lead >= 0) {
            return read(system.substring(lead + SCHEMA_LEAD.length()).strip());
        }
        return system.contains("Answer with one JSON object") ? JSON.createObjectNode() : null;
    }

    /** A JSON object whose fields (the schema's properties, or the field the user names) hold the facts. */
    private static Answer json(JsonNode schema, String user, Map<String, String> facts) {
        List<String> fields = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(fields::add);
        Matcher named = FIELD_NAMED.matcher(user);
        if (fields.isEmpty() && named.find()) {
            fields.add(named.group(1));
        }
        Map<String, String> object = new LinkedHashMap<>();
        for (String field : fields) {
            object.put(field, facts.getOrDefault(field, "unknown"));
        }
        String handoff = object.isEmpty() ? null : object.values().iterator().next();
        return new Answer(write(object), handoff);
    }

    private static String story() {
        StringBuilder story = new StringBuilder("Once upon a time a fox lived at the edge of a wood.");
        String[] animals = {"owl", "badger", "hare", "deer", "otter", "wren", "boar", "lynx"};
        for (int i = 0; i < 40; i++) {
            story.append(" On day ").append(i + 1).append(" the fox met a ").append(animals[i % animals.length])
                    .append(", and they talked until the sun went down.");
        }
        return story.append(" The end.").toString();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
