package io.github.relayllm.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.relayllm.eval.data.JsonLines;
import io.github.relayllm.eval.run.ResultRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What tokens cost: per model, a price per million prompt (input) tokens and per million generated (output)
 * tokens. A JSON file maps model names (as recorded in the results, e.g. {@code tiny-teacher.gguf} or
 * {@code Qwen/Qwen3-8B}) to prices; the entry {@code "*"} prices every other model:
 * <pre>{"tiny-teacher.gguf": {"input": 0.20, "output": 0.60}, "*": {"input": 0.02, "output": 0.06}}</pre>
 * Without prices the report measures cost in teacher generated tokens ({@link #teacherTokens()}), the paper's
 * cost measure.
 */
public final class Prices {

    /** Price per million tokens. */
    public record Price(double input, double output) {
    }

    private final Map<String, Price> byModel;

    private Prices(Map<String, Price> byModel) {
        this.byModel = Map.copyOf(byModel);
    }

    /** No prices: cost is the teacher's generated tokens. */
    public static Prices teacherTokens() {
        return new Prices(Map.of());
    }

    public static Prices of(Map<String, Price> byModel) {
        return new Prices(byModel);
    }

    public static Prices read(Path file) {
        JsonNode root;
        try {
            root = JsonLines.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read prices file " + file + ": " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("prices file " + file + " must be a JSON object: "
                    + "{\"model\": {\"input\": 0.2, \"output\": 0.6}, \"*\": {...}}");
        }
        Map<String, Price> prices = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode input = entry.getValue().get("input");
            JsonNode output = entry.getValue().get("output");
            if (input == null || output == null || !input.isNumber() || !output.isNumber()) {
                throw new IllegalArgumentException("prices file " + file + ": model '" + entry.getKey()
                        + "' needs numbers 'input' and 'output' (price per million tokens)");
            }
            prices.put(entry.getKey(), new Price(input.asDouble(), output.asDouble()));
        }
        return new Prices(prices);
    }

    /** Parses {@code MODEL=INPUT/OUTPUT}, e.g. {@code tiny-teacher.gguf=0.2/0.6}. */
    public static Map.Entry<String, Price> parseFlag(String flag) {
        int equals = flag.lastIndexOf('=');
        String[] numbers = equals < 0 ? new String[0] : flag.substring(equals + 1).split("/");
        try {
            if (equals > 0 && numbers.length == 2) {
                return Map.entry(flag.substring(0, equals),
                        new Price(Double.parseDouble(numbers[0]), Double.parseDouble(numbers[1])));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--price '" + flag + "' must look like MODEL=INPUT/OUTPUT "
                + "(prices per million tokens), e.g. tiny-teacher.gguf=0.2/0.6");
    }

    public Prices with(Map<String, Price> more) {
        Map<String, Price> merged = new LinkedHashMap<>(byModel);
        merged.putAll(more);
        return new Prices(merged);
    }

    public boolean inMoney() {
        return !byModel.isEmpty();
    }

    /** The unit of {@link #cost}: for column headers. */
    public String unit() {
        return inMoney() ? "$" : "teacher tokens";
    }

    /** The cost of one sample. */
    public double cost(ResultRecord record) {
        if (!inMoney()) {
            return record.teacherTokens();
        }
        double cost = 0;
        if (record.studentTokens() > 0 || record.studentPromptTokens() > 0) {
            Price student = price(record.studentModel());
            cost += record.studentPromptTokens() * student.input() + record.studentTokens() * student.output();
        }
        if (record.teacherTokens() > 0 || record.teacherPromptTokens() > 0) {
            Price teacher = price(record.teacherModel());
            cost += record.teacherPromptTokens() * teacher.input() + record.teacherTokens() * teacher.output();
        }
        return cost / 1_000_000.0;
    }

    private Price price(String model) {
        Price price = byModel.get(model);
        if (price == null) {
            price = byModel.get("*");
        }
        if (price == null) {
            throw new IllegalArgumentException("no price for model '" + model + "': add it (or \"*\") to the "
                    + "prices file, or pass --price " + model + "=INPUT/OUTPUT");
        }
        return price;
    }
}
