package io.github.relayllm.langchain4j.embedded;

import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.internal.Checks;
import io.github.relayllm.langchain4j.javallama.JavaLlamaCompletionBackend;
import io.github.relayllm.langchain4j.llamacpp.LlamaCppCompletionBackend;
import io.github.relayllm.langchain4j.ollama.OllamaCompletionBackend;
import io.github.relayllm.langchain4j.openai.OpenAiCompletionBackend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A completion backend named in one string, for command lines and plain configuration:
 * <ul>
 *     <li>{@code ollama:URL:MODEL}: {@link OllamaCompletionBackend};</li>
 *     <li>{@code openai:URL:MODEL}: {@link OpenAiCompletionBackend} (vLLM, llama-server, any {@code /v1/completions}
 *     server), with the API key of the environment variable {@code OPENAI_API_KEY} when it is set;</li>
 *     <li>{@code llama-cpp:PATH}: a GGUF file run in process by {@link LlamaCppCompletionBackend};</li>
 *     <li>{@code embedded:NAME}: one of the project's tiny models ({@link EmbeddedModels});</li>
 *     <li>{@code java:PATH} or {@code java:NAME}: a GGUF file or a tiny model run by
 *     {@link JavaLlamaCompletionBackend}, the pure-Java engine that reports token probabilities (for
 *     {@link io.github.relayllm.langchain4j.CallPolicy#confidence}).</li>
 * </ul>
 * The model name follows the URL's host, port and path, so it may contain colons:
 * {@code ollama:http://localhost:11434:qwen3:8b}. {@link #parse} only reads the text (a typo fails before anything
 * loads); {@link #create} connects or loads.
 */
public record BackendSpec(Kind kind, String baseUrl, String model) {

    /** The kind of backend, the part before the first colon. */
    public enum Kind { OLLAMA, OPENAI, LLAMA_CPP, EMBEDDED, JAVA }

    private static final Pattern URL_THEN_MODEL = Pattern.compile("^(https?://[^/:\\s]+(?::\\d+)?(?:/[^:\\s]*)?):(.+)$");

    public BackendSpec {
        Objects.requireNonNull(kind, "kind");
        Checks.ensureNotBlank(model, "model");
        boolean http = kind == Kind.OLLAMA || kind == Kind.OPENAI;
        if (http != (baseUrl != null)) {
            throw new IllegalArgumentException(kind + " needs a baseUrl; " + (http ? "it has none"
                    : "the in-process kinds take none"));
        }
    }

    /** Reads a spec; an error message quotes it and says the shape expected. */
    public static BackendSpec parse(String spec) {
        return parse(spec, "backend");
    }

    /**
     * Reads a spec; an error message starts with {@code source}, where the spec came from (an option such as
     * {@code --student}, a property name), then quotes it and says the shape expected.
     */
    public static BackendSpec parse(String spec, String source) {
        Objects.requireNonNull(spec, source);
        int colon = spec.indexOf(':');
        String prefix = colon < 0 ? spec : spec.substring(0, colon);
        String rest = colon < 0 ? "" : spec.substring(colon + 1);
        String quoted = source + " '" + spec + "'";
        switch (prefix) {
            case "ollama", "openai" -> {
                Matcher matcher = URL_THEN_MODEL.matcher(rest);
                if (!matcher.matches()) {
                    throw new IllegalArgumentException(quoted + " must look like " + prefix
                            + ":http://host:port[/path]:MODEL");
                }
                return new BackendSpec(prefix.equals("ollama") ? Kind.OLLAMA : Kind.OPENAI, matcher.group(1),
                        matcher.group(2));
            }
            case "llama-cpp", "embedded", "java" -> {
                if (rest.isBlank()) {
                    throw new IllegalArgumentException(quoted + " must name " + switch (prefix) {
                        case "llama-cpp" -> "a GGUF file: llama-cpp:PATH";
                        case "embedded" -> "a model: embedded:" + EmbeddedModels.RELAY_STUDENT;
                        default -> "a GGUF file or an embedded model: java:" + EmbeddedModels.STUDENT;
                    });
                }
                return new BackendSpec(Kind.valueOf(prefix.replace('-', '_').toUpperCase(Locale.ROOT)), null, rest);
            }
            default -> throw new IllegalArgumentException(quoted + " must start with ollama:, openai:, llama-cpp: or "
                    + "embedded:, or java: for the pure-Java engine with token probabilities");
        }
    }

    /** {@link #create(Duration)} with the backends' default timeouts. */
    public CompletionBackend create() {
        return create(null);
    }

    /**
     * Connects to the server, or loads the model in process, with the backends' defaults for everything else.
     *
     * @param timeout the HTTP backends' request timeout; null for their default (unused in process)
     * @throws IllegalArgumentException when a GGUF file does not exist (the backend's own check, naming the file)
     * @throws IllegalStateException    when an embedded model is found nowhere
     */
    public CompletionBackend create(Duration timeout) {
        return switch (kind) {
            case OLLAMA -> OllamaCompletionBackend.builder().baseUrl(baseUrl).modelName(model).timeout(timeout).build();
            case OPENAI -> OpenAiCompletionBackend.builder().baseUrl(baseUrl).modelName(model).timeout(timeout)
                    .apiKey(System.getenv("OPENAI_API_KEY")).build();
            case LLAMA_CPP -> LlamaCppCompletionBackend.builder().modelPath(Path.of(model)).build();
            case EMBEDDED -> EmbeddedModels.load(model);
            case JAVA -> javaBackend();
        };
    }

    /** A file, or else, for a bare name that is no file here, an embedded model. */
    private CompletionBackend javaBackend() {
        if (Files.isRegularFile(Path.of(model)) || model.contains("/") || model.contains("\\")) {
            return JavaLlamaCompletionBackend.builder().modelPath(Path.of(model)).build();
        }
        EmbeddedModels.Location location = EmbeddedModels.locate(model);
        return location.file() != null ? JavaLlamaCompletionBackend.builder().modelPath(location.file()).build()
                : JavaLlamaCompletionBackend.builder().modelResource(location.resource()).build();
    }

    /** The spec in the form {@link #parse} reads. */
    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-') + ":" + (baseUrl != null ? baseUrl + ":" : "")
                + model;
    }
}
