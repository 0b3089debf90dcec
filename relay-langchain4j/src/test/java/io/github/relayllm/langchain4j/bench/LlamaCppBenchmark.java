package io.github.relayllm.langchain4j.bench;

import io.github.relayllm.langchain4j.Completion;
import io.github.relayllm.langchain4j.CompletionRequest;
import io.github.relayllm.langchain4j.LlamaCppCompletionBackend;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Numbers for {@code docs/benchmarks.md}, section "In-process engine": thread settings, KV cache reuse across
 * relay-like rounds (counted by the backend and by the engine's own log), and memory kept after close.
 * <p>
 * Run from the repository root (it forks child JVMs and ends with {@code System.exit}, so use {@code exec:exec}):
 * <pre>
 * mvn -B -q -pl relay-langchain4j test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *     -Dexec.args="-cp %classpath io.github.relayllm.langchain4j.bench.LlamaCppBenchmark"
 * </pre>
 * Arguments (optional): the GGUF files to measure; default {@code models/tiny-teacher.gguf} and
 * {@code models/tiny-student.gguf}.
 */
public final class LlamaCppBenchmark {

    private static final int[][] THREAD_SETTINGS = {{1, 1}, {1, 2}, {2, 1}, {2, 2}};
    private static final String TEACHER_TEXT = " the teacher writes these words here.";
    private static final Pattern PROMPT_EVAL = Pattern.compile("prompt eval time =\\s*([\\d.]+) ms /\\s*(\\d+) tokens");
    private static final Pattern GENERATION_EVAL = Pattern.compile("^\\s*eval time =\\s*([\\d.]+) ms /\\s*(\\d+) tokens");

    private LlamaCppBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].endsWith("-child")) {
            if (args[0].equals("--relay-child")) {
                relayChild(Path.of(args[1]), Boolean.parseBoolean(args[2]));
            } else {
                child(args);
            }
            System.exit(0); // java-llama.cpp's engine thread would keep the JVM alive
        }
        List<Path> models = new ArrayList<>();
        for (String arg : args) {
            models.add(Path.of(arg));
        }
        if (models.isEmpty()) {
            models.add(modelFile("tiny-teacher.gguf"));
            models.add(modelFile("tiny-student.gguf"));
        }
        System.out.printf("java-llama.cpp 4.2.0, %d cores, %s %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"));
        for (Path model : models) {
            System.out.printf("%n## %s (%d bytes)%n", model.getFileName(), Files.size(model));
            // every model loads in its own JVM before that JVM's first inference: late loads lose the prompt cache
            run(List.of("--threads-child", model.toString()));
            run(List.of("--kv-child", model.toString()));
            relayRounds(model);
            run(List.of("--memory-child", model.toString()));
        }
        System.exit(0);
    }

    // ---- children, each in a fresh JVM -------------------------------------------------------------------

    private static void child(String[] args) throws Exception {
        Path model = Path.of(args[1]);
        switch (args[0]) {
            case "--threads-child" -> threads(model);
            case "--kv-child" -> warmAgainstCold(model);
            case "--memory-child" -> memory(model);
            default -> throw new IllegalArgumentException("unknown child " + args[0]);
        }
    }

    /** Generation and prefill speed per (threads, batchThreads). */
    private static void threads(Path model) {
        List<LlamaCppCompletionBackend> backends = new ArrayList<>();
        for (int[] setting : THREAD_SETTINGS) {
            backends.add(LlamaCppCompletionBackend.builder().modelPath(model).threads(setting[0])
                    .batchThreads(setting[1]).promptCache(false).build());
        }
        int context = backends.get(0).contextSize();
        String shortPrompt = "<|im_start|>user\nAnn has 20 pens.<|im_end|>\n<|im_start|>assistant\n";
        int generate = Math.min(200, context - 40);
        String longPrompt = longPrompt(backends.get(0), context - 8);
        System.out.println("| threads | batchThreads | generation tok/s | prefill tok/s (prompt of " + context + "-8 tokens) |");
        System.out.println("|---|---|---|---|");
        for (int i = 0; i < backends.size(); i++) {
            LlamaCppCompletionBackend backend = backends.get(i);
            CompletionRequest gen = CompletionRequest.builder().prompt(shortPrompt).maxTokens(generate)
                    .exactLength(true).temperature(0.0).build();
            CompletionRequest prefill = CompletionRequest.builder().prompt(longPrompt).maxTokens(1).temperature(0.0).build();
            backend.complete(gen); // warm-up
            double genSeconds = median(5, () -> backend.complete(gen).latency().toNanos() / 1e9);
            int prefillTokens = backend.complete(prefill).promptTokens();
            double prefillSeconds = median(5, () -> backend.complete(prefill).latency().toNanos() / 1e9);
            System.out.printf(Locale.ROOT, "| %d | %d | %.0f | %.0f |%n", THREAD_SETTINGS[i][0], THREAD_SETTINGS[i][1],
                    generate / genSeconds, prefillTokens / prefillSeconds);
        }
    }

    /** Extending a long prompt by a few tokens: with the KV cache (warm) against a cold evaluation. */
    private static void warmAgainstCold(Path model) {
        LlamaCppCompletionBackend warm = LlamaCppCompletionBackend.builder().modelPath(model).build();
        LlamaCppCompletionBackend cold = LlamaCppCompletionBackend.builder().modelPath(model).promptCache(false).build();
        String base = longPrompt(warm, warm.contextSize() - 16);
        List<Double> warmMs = new ArrayList<>();
        List<Double> coldMs = new ArrayList<>();
        int promptTokens = 0;
        int cached = 0;
        warm.complete(CompletionRequest.builder().prompt(base).maxTokens(1).temperature(0.0).build());
        for (int i = 0; i < 9; i++) {
            // each call extends the base by different text, so the cache holds the base and not the extension
            CompletionRequest request = CompletionRequest.builder().prompt(base + " " + (char) ('a' + i) + (char) ('a' + i))
                    .maxTokens(1).temperature(0.0).build();
            Completion w = warm.complete(request);
            Completion c = cold.complete(request);
            warmMs.add(w.latency().toNanos() / 1e6);
            coldMs.add(c.latency().toNanos() / 1e6);
            promptTokens = w.promptTokens();
            cached = w.cachedPromptTokens();
        }
        System.out.printf(Locale.ROOT, "Extending a %d-token prompt by 3 tokens and generating 1: warm (KV cache, %d tokens "
                        + "reused) %.2f ms, cold %.2f ms (median of 9).%n", promptTokens, cached,
                median(warmMs), median(coldMs));
    }

    /** Resident memory before and after loading and closing the model 10 times. */
    private static void memory(Path model) throws IOException {
        long before = residentKb();
        for (int i = 0; i < 10; i++) {
            LlamaCppCompletionBackend backend = LlamaCppCompletionBackend.builder().modelPath(model).build();
            backend.complete(CompletionRequest.builder().prompt("Ann").maxTokens(4).temperature(0.0).build());
            backend.close();
        }
        long after = residentKb();
        System.out.printf(Locale.ROOT, "Load + generate + close, 10 times: resident memory %+.1f MB (%.1f MB per load; "
                + "the file has %.1f MB).%n", (after - before) / 1024.0, (after - before) / 10240.0, Files.size(model) / 1048576.0);
    }

    // ---- relay rounds, counted by the backend and by the engine's own log -------------------------------------

    private static void relayRounds(Path model) throws Exception {
        System.out.println();
        System.out.println("Relay-like rounds (the model writes 16 tokens, then " + (TEACHER_TEXT.length())
                + " characters of teacher text are appended; the prompt only grows):");
        System.out.println();
        System.out.println("| prompt cache | rounds | final context tokens | evaluated (backend count) | evaluated (engine log) "
                + "| evaluated / distinct | prefill ms (engine log) |");
        System.out.println("|---|---|---|---|---|---|---|");
        for (boolean cache : new boolean[] {true, false}) {
            List<String> lines = run(List.of("--relay-child", model.toString(), String.valueOf(cache)), false);
            String summary = lines.stream().filter(line -> line.startsWith("SUMMARY ")).findFirst().orElseThrow();
            long[] values = Arrays.stream(summary.substring(8).split(" ")).mapToLong(Long::parseLong).toArray();
            int rounds = (int) values[0];
            long finalContext = values[1];
            long backendEvaluated = values[2];
            long engineTokens = 0;
            double engineMs = 0;
            long engineGenerated = 0;
            for (String line : lines) {
                Matcher prompt = PROMPT_EVAL.matcher(line);
                if (prompt.find()) {
                    engineTokens += Long.parseLong(prompt.group(2));
                    engineMs += Double.parseDouble(prompt.group(1));
                    continue;
                }
                Matcher generated = GENERATION_EVAL.matcher(line);
                if (generated.find()) {
                    engineGenerated += Long.parseLong(generated.group(2));
                }
            }
            // every position of the final context is evaluated once at best: by prefill, or while generating it
            double ratio = (engineTokens + engineGenerated) / (double) finalContext;
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %d prefill + %d generated | %d prefill + %d generated | %.2f | %.1f |%n",
                    cache ? "on" : "off", rounds, finalContext, backendEvaluated, values[3], engineTokens, engineGenerated,
                    ratio, engineMs);
        }
    }

    /** Runs the rounds with the engine's log on; prints a SUMMARY line: rounds, final context, prefill, generated. */
    private static void relayChild(Path model, boolean cache) {
        LlamaCppCompletionBackend backend = LlamaCppCompletionBackend.builder().modelPath(model).promptCache(cache)
                .engineLog(true).build();
        String prompt = "<|im_start|>user\nCara has 315 shells. She finds 27 more, then sells 90. How many shells does she "
                + "have?<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n";
        long prefill = 0;
        long generated = 0;
        int rounds = 0;
        int finalContext = 0;
        while (true) {
            CompletionRequest request = CompletionRequest.builder().prompt(prompt).maxTokens(16).exactLength(true)
                    .temperature(0.0).build();
            Completion completion;
            try {
                completion = backend.complete(request);
            } catch (RuntimeException full) {
                break; // the context is full
            }
            rounds++;
            prefill += completion.promptTokens() - completion.cachedPromptTokens();
            generated += completion.generatedTokens();
            finalContext = completion.promptTokens() + completion.generatedTokens();
            String next = prompt + completion.text() + TEACHER_TEXT;
            if (rounds >= 12) {
                break;
            }
            prompt = next;
        }
        System.out.println("SUMMARY " + rounds + " " + finalContext + " " + prefill + " " + generated);
        System.out.flush();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static List<String> run(List<String> childArgs) throws Exception {
        return run(childArgs, true);
    }

    /** Runs this class in a child JVM; prints (or returns) its lines. */
    private static List<String> run(List<String> childArgs, boolean print) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), LlamaCppBenchmark.class.getName()));
        command.addAll(childArgs);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
                if (print && !line.startsWith("SLF4J") && !line.startsWith("Extracted '")) {
                    System.out.println(line);
                }
            }
        }
        if (process.waitFor() != 0) {
            throw new IllegalStateException("child " + childArgs + " failed: " + lines);
        }
        return lines;
    }

    /** A prompt of {@code tokens} tokens for the project's character-level tokenizer (BOS + one per character). */
    private static String longPrompt(LlamaCppCompletionBackend backend, int tokens) {
        String sentence = "Ann has 20 pens. She gets 5 more, then doubles them. ";
        String text = sentence.repeat(tokens / sentence.length() + 1).substring(0, tokens - 1);
        int counted = backend.complete(CompletionRequest.builder().prompt(text).maxTokens(1).temperature(0.0).build())
                .promptTokens();
        if (counted != tokens) {
            throw new IllegalStateException("expected a character-level tokenizer: " + counted + " tokens, not " + tokens);
        }
        return text;
    }

    private interface Measurement {
        double seconds();
    }

    private static double median(int times, Measurement measurement) {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            values.add(measurement.seconds());
        }
        return median(values);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    private static long residentKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static Path modelFile(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("models").resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("models/" + name + " not found above " + Path.of("").toAbsolutePath()
                + "; pass GGUF files as arguments");
    }
}
