package io.github.relayllm.eval.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.relayllm.eval.data.DatasetFormat;
import io.github.relayllm.eval.data.JsonLines;
import io.github.relayllm.eval.grading.GradingKind;
import io.github.relayllm.eval.run.EvalMode;
import io.github.relayllm.langchain4j.CallPolicy;
import io.github.relayllm.langchain4j.embedded.EmbeddedModels;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A benchmark suite: the datasets (each with its prompt template and grading), the setups (modes) to run on every
 * one of them, the backends and the budgets. Read from a small JSON file; paths in it are relative to the working
 * directory, as on the command line. See relay-eval/README.md ("suite") for the fields.
 *
 * @param outputDir  the folder of the results: {@code <outputDir>/<dataset slug>/<mode slug>.jsonl}, and
 *                   {@code <outputDir>/report/} for the table
 * @param datasets   the benchmarks, in table order
 * @param modes      the setups, in table order
 * @param backends   the backend specs by role
 * @param limit      the first N problems of each dataset; null for all
 * @param concurrency problems in flight at once
 */
public record SuiteConfig(Path outputDir, List<SuiteDataset> datasets, List<SuiteMode> modes, Backends backends,
                          Integer limit, int concurrency, Integer maxTokens, Integer maxCallTokens, Integer maxRounds,
                          String systemMessage) {

    /** Big-Bench Hard's chain-of-thought convention: the few-shot prompt, then the question, then the answer cue. */
    public static final String FEW_SHOT_QUESTION = "\n\nQ: {question}\nA: Let's think step by step.";

    /**
     * One benchmark of the suite.
     *
     * @param name           its column name in the table (GSM8K, MATH-500, …)
     * @param slug           its folder name under the output folder
     * @param file           the dataset file
     * @param format         its fields and grading (null fields: found from the layout)
     * @param promptTemplate the user message, {@code {question}} replaced by the question
     * @param group          its group in the table (e.g. math, out-of-domain): each group gets its own average
     */
    public record SuiteDataset(String name, String slug, Path file, DatasetFormat format, String promptTemplate,
                               String group) {
    }

    /**
     * One setup of the suite.
     *
     * @param name   its row name in the table, as written in the config ({@code relay}, {@code confidence:0.9:2})
     * @param slug   its results file name
     * @param mode   the harness mode it runs in (a confidence setup is a relay run)
     * @param policy the call policy of relay runs; null otherwise
     */
    public record SuiteMode(String name, String slug, EvalMode mode, CallPolicy policy) {

        /** Whether the plain student with a confidence policy answers (rather than the relay student). */
        public boolean confidence() {
            return name.toLowerCase(Locale.ROOT).startsWith("confidence");
        }
    }

    /** The backend specs (as {@code run --student} takes them) of each role. */
    public record Backends(String student, String relayStudent, String teacher, String confidenceStudent) {
    }

    private static final Set<String> TOP_FIELDS = Set.of("output_dir", "datasets", "modes", "student",
            "relay_student", "teacher", "confidence_student", "limit", "concurrency", "max_tokens",
            "max_call_tokens", "max_rounds", "system");
    private static final Set<String> DATASET_FIELDS = Set.of("name", "file", "question_field", "answer_field",
            "id_field", "grading", "prompt_template", "few_shot", "group");

    public static SuiteConfig read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("suite config not found: " + file);
        }
        JsonNode root;
        try {
            root = JsonLines.mapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("suite config " + file + " is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        if (!(root instanceof ObjectNode config)) {
            throw new IllegalArgumentException("suite config " + file + " must be one JSON object");
        }
        unknownFields(config, TOP_FIELDS, "suite config " + file);
        Path outputDir = Path.of(text(config, "output_dir", "results/suite"));
        List<SuiteDataset> datasets = new ArrayList<>();
        JsonNode datasetNodes = config.get("datasets");
        if (datasetNodes == null || !datasetNodes.isArray() || datasetNodes.isEmpty()) {
            throw new IllegalArgumentException("suite config " + file + " needs \"datasets\": a list of "
                    + "{\"name\": …, \"file\": …}");
        }
        Set<String> slugs = new HashSet<>();
        for (JsonNode node : datasetNodes) {
            SuiteDataset dataset = dataset(node, file);
            if (!slugs.add(dataset.slug())) {
                throw new IllegalArgumentException("suite config " + file + " names the dataset '" + dataset.name()
                        + "' twice (or two whose folder names are both '" + dataset.slug() + "')");
            }
            datasets.add(dataset);
        }
        List<SuiteMode> modes = new ArrayList<>();
        JsonNode modeNodes = config.get("modes");
        if (modeNodes == null) {
            for (String name : List.of("student", "teacher", "relay", "teacher-free")) {
                modes.add(mode(name));
            }
        } else {
            if (!modeNodes.isArray() || modeNodes.isEmpty()) {
                throw new IllegalArgumentException("suite config " + file + ": \"modes\" must be a list such as "
                        + "[\"student\", \"teacher\", \"relay\", \"teacher-free\", \"confidence:0.9:2\"]");
            }
            Set<String> modeSlugs = new HashSet<>();
            for (JsonNode node : modeNodes) {
                SuiteMode mode = mode(node.asText());
                if (!modeSlugs.add(mode.slug())) {
                    throw new IllegalArgumentException("suite config " + file + " names the mode '" + mode.name()
                            + "' twice");
                }
                modes.add(mode);
            }
        }
        Backends backends = new Backends(
                text(config, "student", "embedded:" + EmbeddedModels.STUDENT),
                text(config, "relay_student", "embedded:" + EmbeddedModels.RELAY_STUDENT),
                text(config, "teacher", "embedded:" + EmbeddedModels.TEACHER),
                text(config, "confidence_student", "java:" + EmbeddedModels.STUDENT));
        int concurrency = config.path("concurrency").asInt(1);
        if (concurrency < 1) {
            throw new IllegalArgumentException("suite config " + file + ": \"concurrency\" must be at least 1");
        }
        return new SuiteConfig(outputDir, List.copyOf(datasets), List.copyOf(modes), backends,
                integer(config, "limit"), concurrency, integer(config, "max_tokens"), integer(config, "max_call_tokens"),
                integer(config, "max_rounds"), text(config, "system", null));
    }

    private static SuiteDataset dataset(JsonNode node, Path file) {
        if (!(node instanceof ObjectNode entry)) {
            throw new IllegalArgumentException("suite config " + file + ": each dataset must be an object "
                    + "{\"name\": …, \"file\": …}, not " + node);
        }
        String name = text(entry, "name", null);
        String dataFile = text(entry, "file", null);
        if (name == null || name.isBlank() || dataFile == null || dataFile.isBlank()) {
            throw new IllegalArgumentException("suite config " + file + ": dataset " + entry + " needs a \"name\" "
                    + "and a \"file\"");
        }
        unknownFields(entry, DATASET_FIELDS, "suite config " + file + ", dataset '" + name + "'");
        String grading = text(entry, "grading", null);
        DatasetFormat format = new DatasetFormat(text(entry, "question_field", null),
                text(entry, "answer_field", null), text(entry, "id_field", null),
                grading == null ? null : GradingKind.fromLabel(grading));
        String template = text(entry, "prompt_template", null);
        String fewShot = text(entry, "few_shot", null);
        if (template != null && fewShot != null) {
            throw new IllegalArgumentException("suite config " + file + ", dataset '" + name + "': give "
                    + "\"prompt_template\" or \"few_shot\", not both");
        }
        if (fewShot != null) {
            template = fewShotPrompt(Path.of(fewShot)) + FEW_SHOT_QUESTION;
        }
        if (template == null) {
            template = "{question}";
        }
        if (!template.contains("{question}")) {
            throw new IllegalArgumentException("suite config " + file + ", dataset '" + name + "': the "
                    + "\"prompt_template\" must contain {question}");
        }
        return new SuiteDataset(name, slug(name), Path.of(dataFile), format, template,
                text(entry, "group", "math"));
    }

    /**
     * A few-shot chain-of-thought prompt in the layout of Big-Bench Hard's {@code cot-prompts/<task>.txt}: a first
     * line holding the canary and a line of dashes after it are left out; the rest (task description and worked
     * {@code Q: … A: Let's think step by step. … So the answer is …} examples) is the prompt.
     */
    static String fewShotPrompt(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("few-shot prompt not found: " + file);
        }
        List<String> lines;
        try {
            lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (!lines.isEmpty() && lines.get(0).toLowerCase(Locale.ROOT).contains("canary")) {
            lines.remove(0);
        }
        while (!lines.isEmpty() && (lines.get(0).isBlank() || lines.get(0).strip().matches("-{3,}"))) {
            lines.remove(0);
        }
        String prompt = String.join("\n", lines).strip();
        if (prompt.isEmpty()) {
            throw new IllegalArgumentException("few-shot prompt " + file + " is empty");
        }
        return prompt;
    }

    static SuiteMode mode(String name) {
        String label = name.strip();
        String lower = label.toLowerCase(Locale.ROOT);
        String slug = lower.replaceAll("[^a-z0-9.]+", "-");
        if (lower.startsWith("confidence")) {
            return new SuiteMode(label, slug, EvalMode.RELAY, CallPolicy.fromName(label));
        }
        EvalMode mode = EvalMode.fromLabel(lower);
        return new SuiteMode(label, slug, mode, mode == EvalMode.RELAY ? CallPolicy.command() : null);
    }

    static String slug(String name) {
        String slug = name.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        return slug.isEmpty() ? "dataset" : slug;
    }

    private static void unknownFields(ObjectNode node, Set<String> known, String where) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (!known.contains(field)) {
                throw new IllegalArgumentException(where + " has the unknown field \"" + field + "\"; known: "
                        + known.stream().sorted().toList());
            }
        }
    }

    private static String text(JsonNode node, String field, String fallback) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? fallback : value.asText();
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new IllegalArgumentException("suite config: \"" + field + "\" must be a whole number (it is "
                    + value + ")");
        }
        return value.asInt();
    }

    /** This suite with its results in another folder. */
    public SuiteConfig withOutputDir(Path folder) {
        return new SuiteConfig(folder, datasets, modes, backends, limit, concurrency, maxTokens, maxCallTokens,
                maxRounds, systemMessage);
    }

    /** The results file of one dataset under one mode. */
    public Path results(SuiteDataset dataset, SuiteMode mode) {
        return outputDir.resolve(dataset.slug()).resolve(mode.slug() + ".jsonl");
    }
}
