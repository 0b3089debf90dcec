package io.github.relayllm.eval.run;

import io.github.relayllm.langchain4j.CompletionBackend;
import io.github.relayllm.langchain4j.EmbeddedModels;
import io.github.relayllm.langchain4j.JavaLlamaCompletionBackend;
import io.github.relayllm.langchain4j.LlamaCppCompletionBackend;
import io.github.relayllm.langchain4j.OllamaCompletionBackend;
import io.github.relayllm.langchain4j.OpenAiCompletionBackend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backend named on the command line: {@code ollama:URL:MODEL}, {@code openai:URL:MODEL} (vLLM, llama-server, any
 * {@code /v1/completions} server; the API key comes from the environment variable {@code OPENAI_API_KEY} when set),
 * {@code llama-cpp:PATH} (a GGUF file run in process), {@code embedded:NAME} (one of the project's tiny models:
 * {@code tiny-student.gguf}, {@code tiny-teacher.gguf}, {@code tiny-relay-student.gguf}) or {@code java:PATH|NAME}
 * (a GGUF file, or an embedded model by name, run by the pure-Java engine that reports token probabilities, for the
 * confidence call policy).
 * <p>
 * The model name follows the URL's host, port and path, so it may contain colons: {@code ollama:http://localhost:11434:qwen3:8b}.
 */
public record BackendSpec(Kind kind, String baseUrl, String model) {

    public enum Kind { OLLAMA, OPENAI, LLAMA_CPP, EMBEDDED, JAVA }

    private static final Pattern URL_THEN_MODEL = Pattern.compile("^(https?://[^/:\\s]+(?::\\d+)?(?:/[^:\\s]*)?):(.+)$");

    public static BackendSpec parse(String spec, String option) {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? spec : spec.substring(0, colon);
        String rest = colon < 0 ? "" : spec.substring(colon + 1);
        switch (kind) {
            case "ollama", "openai": {
                Matcher matcher = URL_THEN_MODEL.matcher(rest);
                if (!matcher.matches()) {
                    throw new IllegalArgumentException(option + " '" + spec + "' must look like " + kind
                            + ":http://host:port[/path]:MODEL");
                }
                return new BackendSpec(kind.equals("ollama") ? Kind.OLLAMA : Kind.OPENAI, matcher.group(1),
                        matcher.group(2));
            }
            case "llama-cpp":
                if (rest.isBlank()) {
                    throw new IllegalArgumentException(option + " '" + spec + "' must name a GGUF file: llama-cpp:PATH");
                }
                return new BackendSpec(Kind.LLAMA_CPP, null, rest);
            case "embedded":
                if (rest.isBlank()) {
                    throw new IllegalArgumentException(option + " '" + spec + "' must name a model: embedded:"
                            + EmbeddedModels.RELAY_STUDENT);
                }
                return new BackendSpec(Kind.EMBEDDED, null, rest);
            case "java":
                if (rest.isBlank()) {
                    throw new IllegalArgumentException(option + " '" + spec + "' must name a GGUF file or an embedded "
                            + "model: java:" + EmbeddedModels.STUDENT);
                }
                return new BackendSpec(Kind.JAVA, null, rest);
            default:
                throw new IllegalArgumentException(option + " '" + spec + "' must start with ollama:, openai:, "
                        + "llama-cpp: or embedded:, or java: for the pure-Java engine with token probabilities");
        }
    }

    /** Connects to (or, in process, loads) the backend. */
    public CompletionBackend create(Duration timeout) {
        switch (kind) {
            case OLLAMA:
                return OllamaCompletionBackend.builder().baseUrl(baseUrl).modelName(model).timeout(timeout).build();
            case OPENAI: {
                String apiKey = System.getenv("OPENAI_API_KEY");
                OpenAiCompletionBackend.Builder builder = OpenAiCompletionBackend.builder().baseUrl(baseUrl)
                        .modelName(model).timeout(timeout);
                if (apiKey != null && !apiKey.isBlank()) {
                    builder.apiKey(apiKey);
                }
                return builder.build();
            }
            case LLAMA_CPP: {
                Path path = Path.of(model);
                if (!Files.isRegularFile(path)) {
                    throw new IllegalArgumentException("GGUF file not found: " + path.toAbsolutePath());
                }
                return LlamaCppCompletionBackend.builder().modelPath(path).build();
            }
            case EMBEDDED:
                return EmbeddedModels.load(model);
            case JAVA:
                return javaBackend(model);
            default:
                throw new IllegalStateException(kind.toString());
        }
    }

    /** A file path, else an embedded model found where {@link EmbeddedModels} looks (folder, classpath, ./models). */
    private static CompletionBackend javaBackend(String model) {
        Path path = Path.of(model);
        if (Files.isRegularFile(path)) {
            return JavaLlamaCompletionBackend.builder().modelPath(path).build();
        }
        String folder = System.getProperty(EmbeddedModels.MODELS_DIR_PROPERTY, System.getenv("RELAY_MODELS_DIR"));
        if (folder != null && !folder.isBlank() && Files.isRegularFile(Path.of(folder, model))) {
            return JavaLlamaCompletionBackend.builder().modelPath(Path.of(folder, model)).build();
        }
        String resource = EmbeddedModels.RESOURCE_FOLDER + model;
        if (BackendSpec.class.getClassLoader().getResource(resource) != null) {
            return JavaLlamaCompletionBackend.builder().modelResource(resource).build();
        }
        if (Files.isRegularFile(Path.of("models", model))) {
            return JavaLlamaCompletionBackend.builder().modelPath(Path.of("models", model)).build();
        }
        throw new IllegalArgumentException("java:" + model + " is neither a GGUF file nor an embedded model (looked in "
                + EmbeddedModels.MODELS_DIR_PROPERTY + ", on the classpath under " + EmbeddedModels.RESOURCE_FOLDER
                + " and in ./models)");
    }

    @Override
    public String toString() {
        return switch (kind) {
            case OLLAMA -> "ollama:" + baseUrl + ":" + model;
            case OPENAI -> "openai:" + baseUrl + ":" + model;
            case LLAMA_CPP -> "llama-cpp:" + model;
            case EMBEDDED -> "embedded:" + model;
            case JAVA -> "java:" + model;
        };
    }
}
