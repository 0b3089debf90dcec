package io.github.relayllm.eval.cli;

import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.embedded.BackendSpec;
import io.github.relayllm.langchain4j.embedded.EmbeddedModels;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** Where the commands that open backends ({@code run}, {@code calibrate}, {@code suite}) find models and how long they wait. */
final class BackendOptions {

    @Option(names = "--models-dir", paramLabel = "DIR",
            description = "Folder with the embedded GGUF files (default: the classpath, then ./models)")
    Path modelsDir;

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
}
