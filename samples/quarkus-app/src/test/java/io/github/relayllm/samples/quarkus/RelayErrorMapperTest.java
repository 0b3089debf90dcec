package io.github.relayllm.samples.quarkus;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.relayllm.langchain4j.RelayBackendException;
import io.github.relayllm.langchain4j.RelayRole;

import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import dev.langchain4j.exception.UnsupportedFeatureException;

/** Relay failures reach OpenAI clients as JSON errors that say what failed, not as a bare 500. */
class RelayErrorMapperTest {

    @Test
    void should_answer_a_backend_failure_with_502_and_the_relay_message() {
        // given
        RelayBackendException failure = new RelayBackendException(RelayRole.TEACHER,
                "openai(qwen3-8b) at http://gpu:8000/v1", 1, "teacher backend 'openai(qwen3-8b) at http://gpu:8000/v1' failed in round 1: HTTP 503: overloaded",
                new IllegalStateException("503"));

        // when
        Response response = new RelayErrorMapper().backendFailed(failure);

        // then
        assertThat(response.getStatus()).isEqualTo(502);
        assertThat(error(response)).containsEntry("type", "relay_backend_error").containsEntry("code", 502)
                .containsEntry("message", failure.getMessage());
    }

    @Test
    void should_answer_a_request_the_relay_cannot_run_with_400() {
        // when
        Response response = new RelayErrorMapper().unsupported(
                new UnsupportedFeatureException("stopSequences is not supported by the relay"));

        // then
        assertThat(response.getStatus()).isEqualTo(400);
        assertThat(error(response)).containsEntry("message", "stopSequences is not supported by the relay");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> error(Response response) {
        return (Map<String, Object>) ((Map<String, Object>) response.getEntity()).get("error");
    }
}
