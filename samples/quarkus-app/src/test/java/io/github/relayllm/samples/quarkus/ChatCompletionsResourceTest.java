package io.github.relayllm.samples.quarkus;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The OpenAI-compatible {@code POST /v1/chat/completions}, plain and streaming, on the embedded relay. */
@QuarkusTest
class ChatCompletionsResourceTest {

    private static final String QUESTION = "{\"model\":\"relay\",\"messages\":[{\"role\":\"user\",\"content\":\"What is 12 + 30?\"}]";

    @Test
    void should_answer_in_openai_chat_completion_shape() {
        given()
                .contentType("application/json")
                .body(QUESTION + "}")
                .when().post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .body("object", equalTo("chat.completion"))
                .body("model", equalTo("relay"))
                .body("choices[0].message.role", equalTo("assistant"))
                .body("choices[0].message.content", notNullValue())
                .body("choices[0].finish_reason", notNullValue())
                .body("usage.completion_tokens", greaterThan(0))
                .body("relay.studentTokens", greaterThan(0));
    }

    @Test
    void should_stream_server_sent_events_ending_with_done() {
        String events = given()
                .contentType("application/json")
                .body(QUESTION + ",\"stream\":true}")
                .when().post("/v1/chat/completions")
                .then()
                .statusCode(200)
                .extract().asString();

        assertThat(events).startsWith("data: {").contains("\"object\":\"chat.completion.chunk\"")
                .contains("\"finish_reason\":").endsWith("data: [DONE]\n\n");
    }

    @Test
    void should_refuse_an_unknown_role() {
        given()
                .contentType("application/json")
                .body("{\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}")
                .when().post("/v1/chat/completions")
                .then()
                .statusCode(400);
    }
}
