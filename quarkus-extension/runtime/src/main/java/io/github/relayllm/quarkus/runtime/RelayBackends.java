package io.github.relayllm.quarkus.runtime;

import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.ollama.OllamaCompletionBackend;
import io.github.relayllm.langchain4j.openai.OpenAiCompletionBackend;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import io.github.relayllm.quarkus.runtime.RelayModelSettings.Backend;

/**
 * The student and teacher backends of every relay model of the application, opened once at start-up and shared by
 * the blocking and the streaming model of the same name. All are opened before any request runs: the in-process
 * engine gives wrong output for a model loaded after a generation already ran.
 */
public final class RelayBackends implements AutoCloseable {

    private static final Logger log = Logger.getLogger(RelayBackends.class);

    /** A relay model's two backends. */
    record Pair(CompletionBackend student, CompletionBackend teacher) {
    }

    private final Map<String, RelayModelSettings> settings;
    private final Map<String, Pair> pairs = new LinkedHashMap<>();

    RelayBackends(Map<String, RelayModelSettings> settings) {
        this.settings = Map.copyOf(settings);
    }

    /** Opens every backend; the embedded pair is loaded once and shared by all models that use it. */
    synchronized RelayBackends open() {
        Pair embedded = null;
        for (RelayModelSettings model : settings.values()) {
            if (pairs.containsKey(model.configName())) {
                continue;
            }
            Pair pair;
            if (model.embedded()) {
                if (embedded == null) {
                    embedded = EmbeddedPair.open();
                }
                pair = embedded;
            } else {
                pair = new Pair(create(model.student()), create(model.teacher()));
            }
            pairs.put(model.configName(), pair);
            log.debugf("relay model %s: student %s, teacher %s", model.configName(), pair.student().name(),
                    pair.teacher().name());
        }
        return this;
    }

    static CompletionBackend create(Backend backend) {
        return switch (backend.provider()) {
            case OLLAMA -> {
                var builder = OllamaCompletionBackend.builder().baseUrl(backend.baseUrl())
                        .modelName(backend.modelName()).timeout(backend.timeout()).maxRetries(backend.maxRetries());
                if (backend.apiKey() != null) {
                    builder.customHeaders(Map.of("Authorization", "Bearer " + backend.apiKey()));
                }
                yield builder.build();
            }
            case OPENAI -> OpenAiCompletionBackend.builder().baseUrl(backend.baseUrl())
                    .modelName(backend.modelName()).apiKey(backend.apiKey()).timeout(backend.timeout())
                    .maxRetries(backend.maxRetries()).build();
            case LLAMA_CPP -> OptionalEngines.llamaCpp(backend.modelPath());
        };
    }

    /** The names of the relay models, {@code <default>} for the default one. */
    public Set<String> modelNames() {
        return settings.keySet();
    }

    RelayModelSettings settings(String configName) {
        RelayModelSettings model = settings.get(configName);
        if (model == null) {
            throw new IllegalStateException("no relay model named '" + configName + "'");
        }
        return model;
    }

    synchronized Pair pair(String configName) {
        Pair pair = pairs.get(configName);
        if (pair == null) {
            throw new IllegalStateException("the backends of relay model '" + configName + "' are not open");
        }
        return pair;
    }

    @Override
    public synchronized void close() {
        for (Pair pair : Set.copyOf(pairs.values())) {
            closeQuietly(pair.student());
            closeQuietly(pair.teacher());
        }
        pairs.clear();
    }

    private static void closeQuietly(CompletionBackend backend) {
        try {
            backend.close();
        } catch (RuntimeException e) {
            log.warnf("closing %s failed: %s", backend.name(), e.toString());
        }
    }
}
