package io.github.relayllm.samples.quarkus;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** {@code POST /ask} answers through the embedded relay and returns the relay statistics. */
@QuarkusTest
class AskResourceTest {

    @Test
    void should_answer_a_question_with_the_relay_statistics() {
        given()
                .contentType("application/json")
                .body("{\"question\":\"What is 12 + 30?\"}")
                .when().post("/ask")
                .then()
                .statusCode(200)
                .body("answer", notNullValue())
                .body("relay.studentTokens", greaterThan(0))
                .body("relay.rounds", notNullValue())
                .body("relay.finishReason", notNullValue());
    }

    @Test
    void should_refuse_a_request_without_a_question() {
        given()
                .contentType("application/json")
                .body("{}")
                .when().post("/ask")
                .then()
                .statusCode(400);
    }

    @Test
    void should_be_ready() {
        given()
                .when().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItem("Relay model default"));
    }
}
