package io.github.relayllm.quarkus.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import io.quarkus.test.QuarkusUnitTest;

/** With SmallRye Health, each relay model has a readiness check: up when both backends serve their model. */
class HealthUpTest {

    @RegisterExtension
    static final QuarkusUnitTest app = StubConfig.stubBackends(StubConfig.withClasses(), "quarkus.langchain4j.relay");

    @Inject
    ChatModel model; // the application uses the default relay model, so it has a readiness check

    @Test
    void should_be_ready_when_both_backends_serve_their_model() {
        given().when().get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'Relay model default' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Relay model default' }.data.teacher",
                        containsString("serves " + BackendStub.TEACHER_MODEL));
    }
}
