package io.github.relayllm.langchain4j.bench;


import io.github.relayllm.langchain4j.TinyModelFiles;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.llamacpp.LlamaCppCompletionBackend;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
 * mvn -B -q -pl relay-langchain4j test-compile org.codehaus.mojo:exec-maven-plugin:exec -Dexec.executable=java \
 *     -Dexec.classpathScope=test -Dexec.args="-cp %classpath io.github.relayllm.langchain4j.bench.LlamaCppBenchmark"
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
            models.add(TinyModelFiles.file("tiny-teacher.gguf"));
            models.add(TinyModelFiles.file("tiny-student.gguf"));
        }
        System.out.printf("java-llama.cpp 4.2.0, %d cores, %s %s, load average at start %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                loadAverage());
        for (Path model : models) {
            System.out.printf("%n## %s (%d bytes)%n", model.getFileName(), Files.size(model));
            // every model loads in its own JVM before that JVM's first inference: late loads lose the prompt cache
            threads(model);
            warmAgainstCold(model);
            relayRounds(model);
            run(List.of("--memory-child", model.toString()));
        }
        System.out.printf("%nload average at end %s%n", loadAverage());
        System.exit(0);
    }

    // ---- children, each in a fresh JVM -------------------------------------------------------------------

    private static void child(String[] args) throws Exception {
        Path model = Path.of(args[1]);
        switch (args[0]) {
            case "--threads-child" -> threadsChild(model, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "--kv-child" -> kvChild(model, Boolean.parseBoolean(args[2]));
            case "--memory-child" -> memory(model);
            default -> throw new IllegalArgumentException("unknown child " + args[0]);
        }
    }

    /**
     * Generation and prefill speed per (threads, batchThreads), each setting in its own JVM, timed by the engine's
     * log (compute only: on a busy machine the hand-offs between the Java thread and the engine thread add more).
     */
    private static void threads(Path model) throws Exception {
        System.out.println("Speed per thread setting (engine's own timings, best of 7 runs: other processes share the cores):");
        System.out.println();
        System.out.println("| threads | batchThreads | generation tok/s | prefill tok/s |");
        System.out.println("|---|---|---|---|");
        for (int[] setting : THREAD_SETTINGS) {
            List<String> lines = run(List.of("--threads-child", model.toString(), String.valueOf(setting[0]),
                    String.valueOf(setting[1])), false);
            double generation = 0;
            double prefill = 0;
            for (String line : lines) {
                Matcher generated = GENERATION_EVAL.matcher(line);
                if (generated.find() && Long.parseLong(generated.group(2)) >= 100) {
                    generation = Math.max(generation, Long.parseLong(generated.group(2)) * 1000 / Double.parseDouble(generated.group(1)));
                }
                Matcher prompt = PROMPT_EVAL.matcher(line);
                if (prompt.find() && Long.parseLong(prompt.group(2)) >= 100) {
                    prefill = Math.max(prefill, Long.parseLong(prompt.group(2)) * 1000 / Double.parseDouble(prompt.group(1)));
                }
            }
            System.out.printf(Locale.ROOT, "| %d | %d | %.0f | %.0f |%n", setting[0], setting[1], generation, prefill);
        }
    }

    private static void threadsChild(Path model, int threads, int batchThreads) {
        LlamaCppCompletionBackend backend = LlamaCppCompletionBackend.builder().modelPath(model).threads(threads)
                .batchThreads(batchThreads).promptCache(false).engineLog(true).build();
        int context = backend.contextSize();
        String shortPrompt = "<|im_start|>user\nAnn has 20 pens.<|im_end|>\n<|im_start|>assistant\n";
        CompletionRequest generation = CompletionRequest.builder().prompt(shortPrompt).maxTokens(Math.min(200, context - 40))
                .exactLength(true).temperature(0.0).build();
        CompletionRequest prefill = CompletionRequest.builder().prompt(longPrompt(backend, context - 8)).maxTokens(1)
                .temperature(0.0).build();
        for (int i = 0; i < 7; i++) {
            backend.complete(generation);
            backend.complete(prefill);
        }
    }

    /**
     * Extending a long prompt by a few tokens: with the KV cache (warm) against a cold evaluation, each in its own
     * JVM, timed by the engine's log (prompt evaluation + the one generated token) and by the caller.
     */
    private static void warmAgainstCold(Path model) throws Exception {
        System.out.println();
        System.out.println("Extending a long prompt by 3 tokens and generating 1 (15 calls, each extending the same base "
                + "differently):");
        System.out.println();
        System.out.println("| KV cache | prompt tokens | evaluated per call | engine ms, best / median | caller ms, best / median |");
        System.out.println("|---|---|---|---|---|");
        for (boolean cache : new boolean[] {true, false}) {
            List<String> lines = run(List.of("--kv-child", model.toString(), String.valueOf(cache)), false);
            List<Double> engineMs = new ArrayList<>();
            List<Long> evaluated = new ArrayList<>();
            double pending = -1;
            for (String line : lines) {
                Matcher prompt = PROMPT_EVAL.matcher(line);
                if (prompt.find()) {
                    pending = Double.parseDouble(prompt.group(1));
                    evaluated.add(Long.parseLong(prompt.group(2)));
                    continue;
                }
                Matcher generated = GENERATION_EVAL.matcher(line);
                if (generated.find() && pending >= 0) {
                    engineMs.add(pending + Double.parseDouble(generated.group(1)));
                    pending = -1;
                }
            }
            // the warm child's first call evaluates the base: it is not one of the 15
            engineMs = engineMs.subList(engineMs.size() - 15, engineMs.size());
            evaluated = evaluated.subList(evaluated.size() - 15, evaluated.size());
            List<Double> callerMs = lines.stream().filter(line -> line.startsWith("LATENCY "))
                    .map(line -> Double.parseDouble(line.substring(8))).toList();
            String promptTokens = lines.stream().filter(line -> line.startsWith("PROMPT_TOKENS ")).findFirst()
                    .orElseThrow().substring(14);
            System.out.printf(Locale.ROOT, "| %s | %s | %d | %.2f / %.2f | %.2f / %.2f |%n", cache ? "warm" : "cold",
                    promptTokens, Collections.max(evaluated), Collections.min(engineMs), median(engineMs),
                    Collections.min(callerMs), median(callerMs));
        }
    }

    private static void kvChild(Path model, boolean cache) {
        LlamaCppCompletionBackend backend = LlamaCppCompletionBackend.builder().modelPath(model).promptCache(cache)
                .engineLog(true).build();
        String base = longPrompt(backend, backend.contextSize() - 16);
        for (int i = 0; i < 15; i++) {
            CompletionRequest request = CompletionRequest.builder().prompt(base + " " + (char) ('a' + i) + (char) ('a' + i))
                    .maxTokens(1).temperature(0.0).build();
            Completion completion = backend.complete(request);
            System.out.println("LATENCY " + completion.latency().toNanos() / 1e6);
            System.out.println("PROMPT_TOKENS " + completion.promptTokens());
        }
        System.out.flush();
    }

    /** Resident memory before and after loading and closing the model 10 times. */
    private static void memory(Path model) throws IOException {
        System.out.println();
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

    private static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
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

}
