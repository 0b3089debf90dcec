package io.github.relayllm.langchain4j.llamacpp;

import io.github.relayllm.langchain4j.TinyModelFiles;
import io.github.relayllm.langchain4j.backend.Completion;

import java.nio.file.Path;

/**
 * A command-line program for {@link LlamaCppProcessIT}: loads a model, answers one prompt greedily, prints
 * {@code RESULT <answer>} and ends. Arguments: the model file, {@code quiet|log} (the engine's own log), and
 * {@code exit|return}: whether it ends with {@code System.exit}, as command-line programs using the in-process
 * backend must (java-llama.cpp 4.2.0 keeps a non-daemon thread alive after close).
 */
public final class LlamaCppChildMain {

    private LlamaCppChildMain() {
    }

    public static void main(String[] args) {
        LlamaCppCompletionBackend backend = LlamaCppCompletionBackend.builder()
                .modelPath(Path.of(args[0]))
                .engineLog("log".equals(args[1]))
                .build();
        Completion completion = backend.complete(TinyModelFiles.greedy(
                TinyModelFiles.prompt("Ann has 20 pens. She gets 5 more, then doubles them. How many pens does she have?"), 30));
        System.out.println("RESULT " + completion.text().replace("\n", "\\n"));
        System.out.println("NATIVE_DIR " + System.getProperty(LlamaCppEngine.NATIVE_DIR_PROPERTY));
        System.out.flush();
        backend.close();
        if ("exit".equals(args[2])) {
            System.exit(0);
        }
    }
}
