package io.github.relayllm.langchain4j.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.relayllm.langchain4j.TinyModelFiles;
import io.github.relayllm.langchain4j.backend.Completion;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.backend.CompletionRequest;
import io.github.relayllm.langchain4j.javallama.JavaLlamaCompletionBackend;
import io.github.relayllm.langchain4j.llamacpp.LlamaCppCompletionBackend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Numbers for {@code docs/benchmarks.md}, section "Training-free relay (confidence)": generation speed of the Java
 * forward pass ({@link JavaLlamaCompletionBackend}, with and without token probabilities) against java-llama.cpp
 * ({@link LlamaCppCompletionBackend}) on the same GGUF files, greedy, on held-out problems, and how many answers are
 * identical.
 * <p>
 * Run from the repository root (it ends with {@code System.exit}: java-llama.cpp keeps a native thread alive):
 * <pre>
 * mvn -B -q -pl relay-embedded test-compile org.codehaus.mojo:exec-maven-plugin:exec -Dexec.executable=java \
 *     -Dexec.classpathScope=test -Dexec.args="-cp %classpath io.github.relayllm.langchain4j.bench.JavaLlamaBenchmark"
 * </pre>
 * Arguments (optional): the number of problems (default 40), then GGUF files (default the three tiny models). The
 * tiny models and the held-out problems are found in the repository's {@code models/}, looked up from the working
 * directory (exec:exec runs in the module's folder).
 */
public final class JavaLlamaBenchmark {

    private static final int MAX_TOKENS = 160;

    private JavaLlamaBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int problems = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        List<Path> models = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            models.add(Path.of(args[i]));
        }
        Path modelsFolder = TinyModelFiles.folder();
        if (models.isEmpty()) {
            for (String name : List.of("tiny-student.gguf", "tiny-relay-student.gguf", "tiny-teacher.gguf")) {
                models.add(modelsFolder.resolve(name));
            }
        }
        List<String> prompts = prompts(modelsFolder.resolve("data/heldout.jsonl"), problems);
        // every llama.cpp model loads before the first inference (java-llama.cpp 4.2.0 defect 2)
        List<LlamaCppCompletionBackend> llamaCpp = new ArrayList<>();
        for (Path model : models) {
            llamaCpp.add(LlamaCppCompletionBackend.builder().modelPath(model).build());
        }
        System.out.printf("%d problems, greedy, up to %d tokens each, %d cores, Java %s%n", problems, MAX_TOKENS,
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        System.out.printf("%-26s %9s %14s %14s %20s %10s%n", "model", "params", "llama.cpp t/s", "java t/s",
                "java+logprobs t/s", "identical");
        for (int m = 0; m < models.size(); m++) {
            Path model = models.get(m);
            JavaLlamaCompletionBackend java = JavaLlamaCompletionBackend.builder().modelPath(model).build();
            // warm-up: JIT for Java, caches for both
            run(java, prompts.subList(0, Math.min(5, prompts.size())), null);
            run(llamaCpp.get(m), prompts.subList(0, Math.min(5, prompts.size())), null);
            Result cpp = run(llamaCpp.get(m), prompts, null);
            Result plain = run(java, prompts, null);
            Result withLogprobs = run(java, prompts, 0);
            int identical = 0;
            for (int i = 0; i < prompts.size(); i++) {
                if (cpp.texts.get(i).equals(withLogprobs.texts.get(i))) {
                    identical++;
                }
            }
            System.out.printf("%-26s %9d %14.0f %14.0f %20.0f %6d/%d%n", model.getFileName(), java.parameterCount(),
                    cpp.tokensPerSecond(), plain.tokensPerSecond(), withLogprobs.tokensPerSecond(), identical,
                    prompts.size());
        }
        System.out.println("t/s: generated tokens / wall time of the calls (prompt evaluation included, each prompt new)");
        System.exit(0);
    }

    private static List<String> prompts(Path heldOut, int count) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String> prompts = new ArrayList<>();
        for (String line : Files.readAllLines(heldOut)) {
            if (prompts.size() == count) {
                break;
            }
            prompts.add("<|im_start|>user\n" + json.readTree(line).get("question").asText()
                    + "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n");
        }
        return prompts;
    }

    private static Result run(CompletionBackend backend, List<String> prompts, Integer logprobs) {
        Result result = new Result();
        long start = System.nanoTime();
        for (String prompt : prompts) {
            Completion completion = backend.complete(CompletionRequest.builder().prompt(prompt).maxTokens(MAX_TOKENS)
                    .temperature(0.0).logprobs(logprobs).build());
            result.tokens += completion.generatedTokens();
            result.texts.add(completion.text());
        }
        result.nanos = System.nanoTime() - start;
        return result;
    }

    private static final class Result {
        final List<String> texts = new ArrayList<>();
        long tokens;
        long nanos;

        double tokensPerSecond() {
            return tokens / (nanos / 1e9);
        }
    }
}
