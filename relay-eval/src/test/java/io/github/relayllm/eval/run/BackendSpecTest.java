package io.github.relayllm.eval.run;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackendSpecTest {

    @Test
    void should_split_url_and_model_also_when_the_model_has_colons() {
        assertThat(BackendSpec.parse("ollama:http://localhost:11434:qwen3:8b", "--student"))
                .isEqualTo(new BackendSpec(BackendSpec.Kind.OLLAMA, "http://localhost:11434", "qwen3:8b"));
        assertThat(BackendSpec.parse("openai:http://gpu-host:8000/v1:Qwen/Qwen3-8B", "--teacher"))
                .isEqualTo(new BackendSpec(BackendSpec.Kind.OPENAI, "http://gpu-host:8000/v1", "Qwen/Qwen3-8B"));
        assertThat(BackendSpec.parse("openai:https://api.example.com/v1:m", "--teacher").baseUrl())
                .isEqualTo("https://api.example.com/v1");
    }

    @Test
    void should_read_llama_cpp_and_embedded_specs() {
        assertThat(BackendSpec.parse("llama-cpp:models/tiny-teacher.gguf", "--teacher"))
                .isEqualTo(new BackendSpec(BackendSpec.Kind.LLAMA_CPP, null, "models/tiny-teacher.gguf"));
        assertThat(BackendSpec.parse("embedded:tiny-student.gguf", "--student").model()).isEqualTo("tiny-student.gguf");
    }

    @Test
    void should_name_the_option_and_the_expected_shape_on_bad_input() {
        assertThatThrownBy(() -> BackendSpec.parse("ollama:qwen3", "--student"))
                .hasMessageContaining("--student").hasMessageContaining("ollama:http://host:port");
        assertThatThrownBy(() -> BackendSpec.parse("vllm:http://x:1:m", "--teacher"))
                .hasMessageContaining("--teacher").hasMessageContaining("ollama:, openai:, llama-cpp: or embedded:");
        assertThatThrownBy(() -> BackendSpec.parse("llama-cpp:", "--teacher")).hasMessageContaining("GGUF");
    }

    @Test
    void should_fail_clearly_when_a_gguf_file_is_missing() {
        assertThatThrownBy(() -> BackendSpec.parse("llama-cpp:/nonexistent/model.gguf", "--student")
                .create(java.time.Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/nonexistent/model.gguf");
    }
}
