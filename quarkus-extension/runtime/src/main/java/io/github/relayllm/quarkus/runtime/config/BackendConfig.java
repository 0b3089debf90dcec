package io.github.relayllm.quarkus.runtime.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import io.quarkus.runtime.annotations.ConfigGroup;

/**
 * Where one of the two relay models runs: an Ollama server, an OpenAI-compatible {@code /v1/completions} server
 * (vLLM, llama-server, ...) or a GGUF file run in process.
 */
@ConfigGroup
public interface BackendConfig {

    /**
     * How the model is reached: {@code ollama} (Ollama's {@code /api/generate}), {@code openai} (an
     * OpenAI-compatible {@code /v1/completions} server such as vLLM or llama-server) or {@code llama-cpp} (a GGUF
     * file run in process by java-llama.cpp). Unset on both the student and the teacher: the embedded tiny pair.
     */
    Optional<String> provider();

    /**
     * The server's URL: the root for {@code ollama} (default {@code http://localhost:11434}), the API root ending
     * in {@code /v1} for {@code openai} (required there). Not used by {@code llama-cpp}.
     */
    Optional<String> baseUrl();

    /**
     * The model as the server knows it ({@code ollama list}, vLLM's {@code --served-model-name}); required for
     * {@code ollama} and {@code openai}. Not used by {@code llama-cpp}.
     */
    Optional<String> modelName();

    /**
     * The API key, sent as {@code Authorization: Bearer} by {@code openai} and, when set, by {@code ollama} (e.g. behind
     * a proxy); never logged nor shown in errors or health reports.
     */
    Optional<String> apiKey();

    /**
     * The longest wait for the server: for a whole completion, or between two pieces of a streamed one.
     * Default 60 seconds. Not used by {@code llama-cpp}.
     */
    Optional<Duration> timeout();

    /**
     * How many times a completion is tried again when that is safe: no connection was made, the connection closed
     * before the first byte of the answer (a stale kept-alive one), or the server answered 429, 502, 503 or 504 (its
     * {@code Retry-After} is honoured up to 30 seconds). Default 2, as LangChain4j's own models; 0 never retries. Not
     * used by {@code llama-cpp}.
     */
    OptionalInt maxRetries();

    /**
     * The GGUF file run in process by {@code llama-cpp}; required there and must exist.
     */
    Optional<String> modelPath();
}
