package io.github.relayllm.eval.cli;

import io.github.relayllm.eval.run.RelaySolver;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.embedded.BackendSpec;
import io.github.relayllm.langchain4j.embedded.EmbeddedModels;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** The options of the commands that run the relay over a dataset ({@code run}, {@code calibrate}): budgets, backends. */
final class RelayOptions {

    @Option(names = "--models-dir", paramLabel = "DIR",
            description = "Folder with the embedded GGUF files (default: the classpath, then ./models)")
    Path modelsDir;

    @Option(names = "--max-tokens", paramLabel = "N",
            description = "Token budget of an answer, student and teacher together (default: the library's)")
    Integer maxTokens;

    @Option(names = "--max-call-tokens", paramLabel = "N",
            description = "Largest teacher span of one call (default: the library's)")
    Integer maxCallTokens;

    @Option(names = "--max-rounds", paramLabel = "N", description = "Most teacher calls per answer (default: the library's)")
    Integer maxRounds;

    @Option(names = "--prompt-template", defaultValue = "{question}", paramLabel = "TEXT",
            description = "User message; {question} is replaced by the question (default: ${DEFAULT-VALUE})")
    String promptTemplate;

    @Option(names = "--concurrency", defaultValue = "1", paramLabel = "N",
            description = "Problems in flight at once (default: ${DEFAULT-VALUE}; the in-process engine runs one "
                    + "generation per model at a time)")
    int concurrency;

    @Option(names = "--timeout", defaultValue = "PT10M", paramLabel = "DURATION",
            description = "HTTP timeout of one backend call, ISO-8601 (default: ${DEFAULT-VALUE})")
    Duration timeout;

    /** Connects to (or loads) the backend an option names, else the default spec; embedded models from --models-dir. */
    CompletionBackend backend(String spec, String defaultSpec, String option) {
        if (modelsDir != null) {
            System.setProperty(EmbeddedModels.MODELS_DIR_PROPERTY, modelsDir.toString());
        }
        return BackendSpec.parse(spec != null ? spec : defaultSpec, option).create(timeout);
    }

    RelaySolver.Settings settings(double temperature, int seed, String systemMessage) {
        return new RelaySolver.Settings(temperature, seed, maxTokens, maxCallTokens, maxRounds, systemMessage);
    }
}
