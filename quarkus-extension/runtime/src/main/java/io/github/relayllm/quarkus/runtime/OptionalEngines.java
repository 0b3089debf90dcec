package io.github.relayllm.quarkus.runtime;

import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.llamacpp.LlamaCppCompletionBackend;

import java.nio.file.Path;

/**
 * The in-process engines, which the extension depends on optionally: an application that configures only
 * {@code ollama} or {@code openai} backends carries no JNI natives. The engines' classes are named only here and in
 * {@link EmbeddedPair}, which are loaded only when a configuration uses them, after {@link #llamaCppPresent()} or
 * {@link #embeddedPresent()} said they can be.
 */
final class OptionalEngines {

    static final String LLAMA_CPP_ARTIFACT = "io.github.relayllm:relay-llama-cpp";
    static final String EMBEDDED_ARTIFACT = "io.github.relayllm:relay-embedded";

    private OptionalEngines() {
    }

    /** Whether {@code relay-llama-cpp} (the in-process llama.cpp engine) is on the class path. */
    static boolean llamaCppPresent() {
        return present("io.github.relayllm.langchain4j.llamacpp.LlamaCppCompletionBackend");
    }

    /** Whether {@code relay-embedded} (the tiny pair and its engine) is on the class path. */
    static boolean embeddedPresent() {
        return present("io.github.relayllm.langchain4j.embedded.EmbeddedModels");
    }

    static CompletionBackend llamaCpp(Path modelPath) {
        return LlamaCppCompletionBackend.builder().modelPath(modelPath).build();
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, OptionalEngines.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
