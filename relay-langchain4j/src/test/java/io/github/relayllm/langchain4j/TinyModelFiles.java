package io.github.relayllm.langchain4j;

import io.github.relayllm.langchain4j.backend.CompletionRequest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.fail;

/**
 * The project's tiny GGUF models, committed under {@code models/} at the repository root, for the in-process
 * engines' and the HTTP backends' integration tests. {@code -Drelay.models.dir=...} points at another folder with the same file names.
 */
public final class TinyModelFiles {

    public static final String TEACHER = "tiny-teacher.gguf";
    public static final String STUDENT = "tiny-student.gguf";
    public static final String RELAY_STUDENT = "tiny-relay-student.gguf";
    public static final String TOKENIZER_CASES = "data/tokenizer_cases.jsonl";

    private TinyModelFiles() {
    }

    /** The file {@code models/<name>}; fails the test with the places it looked when it is missing. */
    public static Path file(String name) {
        List<Path> looked = new ArrayList<>();
        String override = System.getProperty("relay.models.dir");
        if (override != null) {
            Path candidate = Path.of(override).resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
            looked.add(candidate);
        } else {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("models").resolve(name);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
                looked.add(candidate);
                if (Files.isDirectory(dir.resolve(".git"))) {
                    break; // the repository root
                }
            }
        }
        return fail("models/" + name + " is missing (looked at " + looked + "). The tiny models are committed under "
                + "models/ at the repository root by training/; run the tests from a full checkout.");
    }

    /** The folder that holds the models, as a classpath root for {@code modelResource} tests. */
    public static Path folder() {
        return file(STUDENT).getParent();
    }

    /** The chat prompt the tiny models were trained on. */
    public static String prompt(String question) {
        return "<|im_start|>user\n" + question + "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n";
    }

    public static CompletionRequest greedy(String prompt, int maxTokens) {
        return CompletionRequest.builder().prompt(prompt).maxTokens(maxTokens).temperature(0.0).build();
    }
}
