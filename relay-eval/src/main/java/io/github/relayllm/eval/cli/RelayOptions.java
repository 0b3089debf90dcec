package io.github.relayllm.eval.cli;

import io.github.relayllm.eval.run.RelaySolver;
import io.github.relayllm.langchain4j.backend.CompletionBackend;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of the commands that run the relay over a dataset ({@code run}, {@code calibrate}): budgets, backends. */
final class RelayOptions {

    @Mixin
    BackendOptions backends;

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

    /** Connects to (or loads) the backend an option names, else the default spec; embedded models from --models-dir. */
    CompletionBackend backend(String spec, String defaultSpec, String option) {
        return backends.backend(spec, defaultSpec, option);
    }

    RelaySolver.Settings settings(double temperature, int seed, String systemMessage) {
        return new RelaySolver.Settings(temperature, seed, maxTokens, maxCallTokens, maxRounds, systemMessage);
    }
}
