package io.github.relayllm.langchain4j.embedded;

import io.github.relayllm.langchain4j.backend.CompletionBackend;
import io.github.relayllm.langchain4j.openai.OpenAiCompletionBackend;
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
        assertThatThrownBy(() -> BackendSpec.parse("llama-cpp:/nonexistent/model.gguf", "--student").create())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/nonexistent/model.gguf");
        assertThatThrownBy(() -> BackendSpec.parse("java:/nonexistent/model.gguf").create())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/nonexistent/model.gguf");
        assertThatThrownBy(() -> BackendSpec.parse("java:no-such-model.gguf").create())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("embedded model no-such-model.gguf").hasMessageContaining("relay-tiny-models");
    }

    @Test
    void should_read_java_specs_and_write_every_spec_back_as_it_was_read() {
        assertThat(BackendSpec.parse("java:tiny-student.gguf", "--student"))
                .isEqualTo(new BackendSpec(BackendSpec.Kind.JAVA, null, "tiny-student.gguf"));
        assertThatThrownBy(() -> BackendSpec.parse("java:", "--student")).hasMessageContaining("--student")
                .hasMessageContaining("java:tiny-student.gguf");
        for (String spec : new String[] {"ollama:http://localhost:11434:qwen3:8b", "openai:https://h/v1:Qwen/Qwen3-8B",
                "llama-cpp:models/tiny-teacher.gguf", "embedded:tiny-student.gguf", "java:tiny-student.gguf"}) {
            assertThat(BackendSpec.parse(spec)).hasToString(spec);
        }
    }

    @Test
    void should_say_which_kinds_take_a_base_url() {
        assertThatThrownBy(() -> new BackendSpec(BackendSpec.Kind.OLLAMA, null, "qwen3"))
                .hasMessageContaining("OLLAMA needs a baseUrl");
        assertThatThrownBy(() -> new BackendSpec(BackendSpec.Kind.EMBEDDED, "http://x:1", "m"))
                .hasMessageContaining("the in-process kinds take none");
    }

    @Test
    void should_create_http_backends_without_connecting() {
        CompletionBackend backend = BackendSpec.parse("openai:http://127.0.0.1:9/v1:Qwen/Qwen3-8B").create();
        try {
            assertThat(backend).isInstanceOf(OpenAiCompletionBackend.class);
            assertThat(backend.name()).contains("Qwen/Qwen3-8B");
        } finally {
            backend.close();
        }
    }
}
