package io.github.relayllm.quarkus.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.relayllm.langchain4j.CallPolicy;
import io.github.relayllm.langchain4j.TeacherFailurePolicy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.relayllm.quarkus.runtime.RelayModelSettings.Provider;
import io.github.relayllm.quarkus.runtime.config.BackendConfig;
import io.github.relayllm.quarkus.runtime.config.RelayModelConfig;
import io.quarkus.runtime.configuration.ConfigurationException;

class RelayConfigValidatorTest {

    @Test
    void should_use_the_embedded_pair_when_no_backend_is_configured() {
        // when
        RelayModelSettings settings = RelayConfigValidator.validate("<default>", config(backend(), backend()));

        // then
        assertThat(settings.embedded()).isTrue();
        assertThat(settings.callPolicy()).isEqualTo(CallPolicy.command());
        assertThat(settings.teacherFailurePolicy()).isEqualTo(TeacherFailurePolicy.CONTINUE_WITH_STUDENT);
    }

    @Test
    void should_default_the_ollama_base_url_and_keep_every_setting(@TempDir Path dir) throws IOException {
        // given
        Path gguf = Files.writeString(dir.resolve("teacher.gguf"), "GGUF");
        BackendConfig student = backend("OLLAMA", null, "qwen3:1.7b", "secret", Duration.ofSeconds(5), null);
        BackendConfig teacher = backend("llama-cpp", null, null, null, null, gguf.toString());

        // when
        RelayModelSettings settings = RelayConfigValidator.validate("fast", config(student, teacher));

        // then
        assertThat(settings.embedded()).isFalse();
        assertThat(settings.student().provider()).isEqualTo(Provider.OLLAMA);
        assertThat(settings.student().baseUrl()).isEqualTo("http://localhost:11434");
        assertThat(settings.student().modelName()).isEqualTo("qwen3:1.7b");
        assertThat(settings.student().apiKey()).isEqualTo("secret");
        assertThat(settings.student().timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.student().toString()).doesNotContain("secret");
        assertThat(settings.teacher().provider()).isEqualTo(Provider.LLAMA_CPP);
        assertThat(settings.teacher().modelPath()).isEqualTo(gguf.toAbsolutePath());
    }

    @Test
    void should_name_every_wrong_property_of_a_named_model() {
        // given
        BackendConfig student = backend("vllm", null, null, null, null, null);
        BackendConfig teacher = backend("openai", "localhost:8000", null, null, Duration.ZERO, null);

        // when / then
        assertThatThrownBy(() -> RelayConfigValidator.validate("fast", config(student, teacher, -1, "sometimes", "retry")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("The relay model 'fast' is misconfigured")
                .hasMessageContaining("quarkus.langchain4j.relay.fast.student.provider is 'vllm', which is unknown: use ollama, openai or llama-cpp")
                .hasMessageContaining("quarkus.langchain4j.relay.fast.teacher.base-url is 'localhost:8000', which is not an http(s) URL")
                .hasMessageContaining("quarkus.langchain4j.relay.fast.teacher.model-name is not set")
                .hasMessageContaining("quarkus.langchain4j.relay.fast.teacher.timeout is PT0S: it must be positive")
                .hasMessageContaining("quarkus.langchain4j.relay.fast.max-rounds is -1: it must be at least 0")
                .hasMessageContaining("quarkus.langchain4j.relay.fast.call-policy: ")
                .hasMessageContaining("'sometimes' is unknown")
                .hasMessageContaining("quarkus.langchain4j.relay.fast.teacher-failure is 'retry', which is unknown");
    }

    @Test
    void should_ask_for_the_provider_of_the_backend_left_out() {
        // when / then
        assertThatThrownBy(() -> RelayConfigValidator.validate("<default>",
                config(backend("ollama", null, "m", null, null, null), backend())))
                .hasMessageContaining("quarkus.langchain4j.relay.teacher.provider is not set: set it to ollama, openai or llama-cpp"
                        + " (the student is configured, so the embedded pair is not used)");
    }

    @Test
    void should_refuse_a_default_call_larger_than_the_largest_call() {
        // when / then
        assertThatThrownBy(() -> RelayConfigValidator.validate("<default>", new TestModelConfig(backend(), backend(),
                10, 50, 16, 8192, OptionalInt.of(-3), "command", "fail")))
                .hasMessageContaining("quarkus.langchain4j.relay.default-call-tokens is 50, more than "
                        + "quarkus.langchain4j.relay.max-call-tokens (10)")
                .hasMessageContaining("quarkus.langchain4j.relay.max-teacher-tokens is -3: it must be at least 0");
    }

    private static RelayModelConfig config(BackendConfig student, BackendConfig teacher) {
        return config(student, teacher, 16, "command", "continue-with-student");
    }

    private static RelayModelConfig config(BackendConfig student, BackendConfig teacher, int maxRounds,
            String callPolicy, String teacherFailure) {
        return new TestModelConfig(student, teacher, 256, 50, maxRounds, 8192, OptionalInt.empty(), callPolicy,
                teacherFailure);
    }

    private static BackendConfig backend() {
        return backend(null, null, null, null, null, null);
    }

    private static BackendConfig backend(String provider, String baseUrl, String modelName, String apiKey,
            Duration timeout, String modelPath) {
        return new TestBackendConfig(Optional.ofNullable(provider), Optional.ofNullable(baseUrl),
                Optional.ofNullable(modelName), Optional.ofNullable(apiKey), Optional.ofNullable(timeout),
                Optional.ofNullable(modelPath));
    }

    record TestBackendConfig(Optional<String> provider, Optional<String> baseUrl, Optional<String> modelName,
            Optional<String> apiKey, Optional<Duration> timeout, Optional<String> modelPath) implements BackendConfig {

        @Override
        public OptionalInt maxRetries() {
            return OptionalInt.empty(); // MaxRetriesConfigTest sets it
        }
    }

    record TestModelConfig(BackendConfig student, BackendConfig teacher, int maxCallTokens, int defaultCallTokens,
            int maxRounds, int maxTokens, OptionalInt maxTeacherTokens, String callPolicy, String teacherFailure)
            implements RelayModelConfig {
    }
}
