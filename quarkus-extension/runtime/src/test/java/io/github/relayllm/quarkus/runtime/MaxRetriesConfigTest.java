package io.github.relayllm.quarkus.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.ollama.OllamaCompletionBackend;
import io.github.relayllm.langchain4j.openai.OpenAiCompletionBackend;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import io.github.relayllm.quarkus.runtime.RelayConfigValidatorTest.TestModelConfig;
import io.github.relayllm.quarkus.runtime.config.BackendConfig;
import io.quarkus.runtime.configuration.ConfigurationException;

/** {@code quarkus.langchain4j.relay.<role>.max-retries} reaches the HTTP backends; unset keeps their default. */
class MaxRetriesConfigTest {

    @Test
    void should_pass_max_retries_to_each_http_backend() {
        // given
        TestModelConfig config = config(backend("ollama", null, OptionalInt.of(0)),
                backend("openai", "http://localhost:8000/v1", OptionalInt.of(5)));

        // when
        RelayModelSettings settings = RelayConfigValidator.validate("fast", config);
        CompletionBackend student = RelayBackends.create(settings.student());
        CompletionBackend teacher = RelayBackends.create(settings.teacher());

        // then
        try (student; teacher) {
            assertThat(((OllamaCompletionBackend) student).maxRetries()).isZero();
            assertThat(((OpenAiCompletionBackend) teacher).maxRetries()).isEqualTo(5);
        }
    }

    @Test
    void should_keep_the_backends_default_when_unset() {
        // given
        TestModelConfig config = config(backend("ollama", null, OptionalInt.empty()),
                backend("openai", "http://localhost:8000/v1", OptionalInt.empty()));

        // when
        RelayModelSettings settings = RelayConfigValidator.validate("fast", config);

        // then
        try (CompletionBackend teacher = RelayBackends.create(settings.teacher())) {
            assertThat(((OpenAiCompletionBackend) teacher).maxRetries()).isEqualTo(2);
        }
    }

    @Test
    void should_name_a_negative_max_retries() {
        // given
        TestModelConfig config = config(backend("ollama", null, OptionalInt.of(-1)),
                backend("openai", "http://localhost:8000/v1", OptionalInt.empty()));

        // when / then
        assertThatThrownBy(() -> RelayConfigValidator.validate("fast", config))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("quarkus.langchain4j.relay.fast.student.max-retries is -1: it must be 0 (no retries) or more");
    }

    private static TestModelConfig config(BackendConfig student, BackendConfig teacher) {
        return new TestModelConfig(student, teacher, 256, 50, 16, 8192, OptionalInt.empty(), "command",
                "continue-with-student");
    }

    private static BackendConfig backend(String provider, String baseUrl, OptionalInt maxRetries) {
        return new RetriesBackendConfig(Optional.of(provider), Optional.ofNullable(baseUrl), Optional.of("model"),
                Optional.empty(), Optional.of(Duration.ofSeconds(5)), maxRetries, Optional.empty());
    }

    record RetriesBackendConfig(Optional<String> provider, Optional<String> baseUrl, Optional<String> modelName,
            Optional<String> apiKey, Optional<Duration> timeout, OptionalInt maxRetries, Optional<String> modelPath)
            implements BackendConfig {
    }
}
