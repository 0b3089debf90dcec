package io.github.relayllm.quarkus.deployment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import io.quarkus.test.QuarkusUnitTest;

/** The readiness check is down, saying why, when a backend does not serve the configured model. */
class HealthDownTest {

    @RegisterExtension
    static final QuarkusUnitTest app = StubConfig.stubBackends(StubConfig.withClasses(), "quarkus.langchain4j.relay")
            .overrideConfigKey("quarkus.langchain4j.relay.teacher.model-name", "absent-model");

    @Inject
    ChatModel model; // the application uses the default relay model, so it has a readiness check

    @Test
    void should_not_be_ready_when_the_teacher_model_is_missing() {
        given().when().get("/q/health/ready")
                .then()
                .statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'Relay model default' }.data.student",
                        containsString("serves " + BackendStub.STUDENT_MODEL))
                .body("checks.find { it.name == 'Relay model default' }.data.teacher",
                        containsString("does not serve 'absent-model'"));
    }
}
