package io.github.relayllm.quarkus.runtime;

import io.github.relayllm.langchain4j.CallPolicy;
import io.github.relayllm.langchain4j.TeacherFailurePolicy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.github.relayllm.quarkus.runtime.RelayModelSettings.Backend;
import io.github.relayllm.quarkus.runtime.RelayModelSettings.Provider;
import io.github.relayllm.quarkus.runtime.config.BackendConfig;
import io.github.relayllm.quarkus.runtime.config.RelayModelConfig;
import io.quarkiverse.langchain4j.runtime.NamedConfigUtil;
import io.quarkus.runtime.configuration.ConfigurationException;

/**
 * Turns a {@link RelayModelConfig} into {@link RelayModelSettings}, or fails with one message that lists every
 * problem, each naming the property and the fix, so a bad configuration stops the application at start-up.
 */
final class RelayConfigValidator {

    static final String PREFIX = "quarkus.langchain4j.relay";
    static final String OLLAMA_DEFAULT_BASE_URL = "http://localhost:11434";
    private static final String PROVIDERS = "ollama, openai or llama-cpp";

    private final String configName;
    private final String prefix;
    private final List<String> problems = new ArrayList<>();

    private RelayConfigValidator(String configName) {
        this.configName = configName;
        this.prefix = propertyPrefix(configName);
    }

    /** {@code quarkus.langchain4j.relay} for the default model, {@code quarkus.langchain4j.relay.<name>} else. */
    static String propertyPrefix(String configName) {
        return NamedConfigUtil.isDefault(configName) ? PREFIX : PREFIX + "." + configName;
    }

    static RelayModelSettings validate(String configName, RelayModelConfig config) {
        return new RelayConfigValidator(configName).check(config);
    }

    private RelayModelSettings check(RelayModelConfig config) {
        boolean studentSet = isAnySet(config.student());
        boolean teacherSet = isAnySet(config.teacher());
        boolean embedded = !studentSet && !teacherSet;
        Backend student = embedded ? null : backend("student", config.student(), "teacher", teacherSet);
        Backend teacher = embedded ? null : backend("teacher", config.teacher(), "student", studentSet);
        if (embedded && !OptionalEngines.embeddedPresent()) {
            problems.add("no backend is configured (" + prefix + ".student.* and " + prefix + ".teacher.*) and the "
                    + "embedded default is not on the class path: add the dependency "
                    + OptionalEngines.EMBEDDED_ARTIFACT + ", or configure both backends (provider " + PROVIDERS + ")");
        }

        atLeast(config.maxCallTokens(), 1, "max-call-tokens");
        atLeast(config.defaultCallTokens(), 1, "default-call-tokens");
        if (config.defaultCallTokens() > config.maxCallTokens() && config.maxCallTokens() >= 1) {
            problems.add(prefix + ".default-call-tokens is " + config.defaultCallTokens()
                    + ", more than " + prefix + ".max-call-tokens (" + config.maxCallTokens()
                    + "): lower it or raise max-call-tokens");
        }
        atLeast(config.maxRounds(), 0, "max-rounds");
        atLeast(config.maxTokens(), 1, "max-tokens");
        config.maxTeacherTokens().ifPresent(value -> atLeast(value, 0, "max-teacher-tokens"));
        CallPolicy callPolicy = callPolicy(config.callPolicy());
        TeacherFailurePolicy teacherFailure = teacherFailure(config.teacherFailure());

        if (!problems.isEmpty()) {
            throw new ConfigurationException("The relay model "
                    + (NamedConfigUtil.isDefault(configName) ? "(default)" : "'" + configName + "'")
                    + " is misconfigured:\n  - " + String.join("\n  - ", problems));
        }
        return new RelayModelSettings(configName, student, teacher, embedded, config.maxCallTokens(),
                config.defaultCallTokens(), config.maxRounds(), config.maxTokens(),
                config.maxTeacherTokens().isPresent() ? config.maxTeacherTokens().getAsInt() : null,
                callPolicy, teacherFailure);
    }

    private static boolean isAnySet(BackendConfig backend) {
        return backend.provider().isPresent() || backend.baseUrl().isPresent() || backend.modelName().isPresent()
                || backend.apiKey().isPresent() || backend.timeout().isPresent() || backend.maxRetries().isPresent()
                || backend.modelPath().isPresent();
    }

    private Backend backend(String role, BackendConfig config, String otherRole, boolean otherSet) {
        String property = prefix + "." + role;
        Optional<String> providerValue = config.provider().filter(value -> !value.isBlank());
        if (providerValue.isEmpty()) {
            problems.add(property + ".provider is not set: set it to " + PROVIDERS
                    + (otherSet ? " (the " + otherRole + " is configured, so the embedded pair is not used)" : ""));
            return null;
        }
        Provider provider = Provider.fromConfigValue(providerValue.get());
        if (provider == null) {
            problems.add(property + ".provider is '" + providerValue.get() + "', which is unknown: use " + PROVIDERS);
            return null;
        }
        Duration timeout = config.timeout().orElse(null);
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            problems.add(property + ".timeout is " + timeout + ": it must be positive, e.g. 60s");
        }
        Integer maxRetries = config.maxRetries().isPresent() ? config.maxRetries().getAsInt() : null;
        if (maxRetries != null && maxRetries < 0) {
            problems.add(property + ".max-retries is " + maxRetries + ": it must be 0 (no retries) or more");
        }
        switch (provider) {
            case OLLAMA -> {
                String baseUrl = config.baseUrl().orElse(OLLAMA_DEFAULT_BASE_URL);
                checkUrl(property, baseUrl, "http://localhost:11434");
                String modelName = required(property, "model-name", config.modelName(),
                        "the model as Ollama lists it (ollama list), e.g. qwen3:1.7b");
                return new Backend(property, provider, baseUrl, modelName, config.apiKey().orElse(null), timeout,
                        maxRetries, null);
            }
            case OPENAI -> {
                String baseUrl = required(property, "base-url", config.baseUrl(),
                        "the server's API root, e.g. http://localhost:8000/v1");
                if (baseUrl != null) {
                    checkUrl(property, baseUrl, "http://localhost:8000/v1");
                }
                String modelName = required(property, "model-name", config.modelName(),
                        "the model as the server serves it, e.g. Qwen/Qwen3-8B");
                return new Backend(property, provider, baseUrl, modelName, config.apiKey().orElse(null), timeout,
                        maxRetries, null);
            }
            default -> {
                if (!OptionalEngines.llamaCppPresent()) {
                    problems.add(property + ".provider is llama-cpp, but the in-process engine is not on the class "
                            + "path: add the dependency " + OptionalEngines.LLAMA_CPP_ARTIFACT);
                }
                String modelPath = required(property, "model-path", config.modelPath(),
                        "the path of a GGUF file, e.g. models/teacher.gguf");
                Path path = null;
                if (modelPath != null) {
                    path = Path.of(modelPath).toAbsolutePath();
                    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                        problems.add(property + ".model-path is '" + modelPath + "', but no readable file is there ("
                                + path + "): point it at an existing GGUF file");
                    }
                }
                return new Backend(property, provider, null, null, null, timeout, null, path);
            }
        }
    }

    private String required(String property, String key, Optional<String> value, String hint) {
        if (value.isEmpty() || value.get().isBlank()) {
            problems.add(property + "." + key + " is not set: set it to " + hint);
            return null;
        }
        return value.get().strip();
    }

    private void checkUrl(String property, String url, String example) {
        try {
            URI uri = URI.create(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            problems.add(property + ".base-url is '" + url + "', which is not an http(s) URL: use e.g. " + example);
        }
    }

    private void atLeast(int value, int min, String key) {
        if (value < min) {
            problems.add(prefix + "." + key + " is " + value + ": it must be at least " + min);
        }
    }

    private CallPolicy callPolicy(String value) {
        try {
            return CallPolicy.fromName(value);
        } catch (IllegalArgumentException e) {
            problems.add(prefix + ".call-policy: " + e.getMessage());
            return null;
        }
    }

    private TeacherFailurePolicy teacherFailure(String value) {
        String normalised = value.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (TeacherFailurePolicy policy : TeacherFailurePolicy.values()) {
            if (policy.name().equals(normalised)) {
                return policy;
            }
        }
        problems.add(prefix + ".teacher-failure is '" + value
                + "', which is unknown: use continue-with-student or fail");
        return null;
    }
}
