package io.github.relayllm.quarkus.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import jakarta.inject.Inject;

import org.jboss.logmanager.formatters.PatternFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import io.quarkus.test.QuarkusUnitTest;

/**
 * The API keys (as {@code api-key}, and in a base URL's user info) stay out of the health report, the metrics and
 * the extension's logs at DEBUG, also after a relay request ran.
 */
class SecretsInHealthAndMetricsTest {

    private static final String KEY = "sk-quarkus-5e1d7a9b3c";
    private static final String URL_KEY = "sk-in-url-0c4f2e8a6d";

    @RegisterExtension
    static final QuarkusUnitTest app = StubConfig.stubBackends(StubConfig.withClasses(), "quarkus.langchain4j.relay")
            .overrideConfigKey("quarkus.langchain4j.relay.student.api-key", KEY)
            .overrideConfigKey("quarkus.langchain4j.relay.teacher.api-key", KEY)
            .overrideConfigKey("quarkus.langchain4j.relay.teacher.base-url",
                    BackendStub.url().replace("http://", "http://relay:" + URL_KEY + "@") + "/v1")
            .overrideConfigKey("quarkus.log.category.\"io.github.relayllm\".level", "DEBUG")
            .setLogRecordPredicate(record -> record.getLoggerName().startsWith("io.github.relayllm"))
            .assertLogRecords(records -> {
                PatternFormatter formatter = new PatternFormatter("%s %e");
                List<String> lines = new ArrayList<>();
                for (LogRecord record : records) {
                    lines.add(formatter.format(record));
                }
                assertThat(records).as("DEBUG records are captured").anyMatch(r -> r.getLevel().intValue() <= Level.FINE.intValue());
                assertThat(lines).allSatisfy(line -> assertThat(line).doesNotContain(KEY).doesNotContain(URL_KEY));
            });

    @Inject
    ChatModel model;

    @Test
    void should_show_no_key_in_health_metrics_or_logs() {
        // given: a request ran, so the metrics have values
        StubConfig.ask(model);

        // when
        String health = given().when().get("/q/health").then().extract().asString();
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();

        // then
        assertThat(health).contains("Relay model default").contains(BackendStub.TEACHER_MODEL)
                .doesNotContain(KEY).doesNotContain(URL_KEY);
        assertThat(metrics).contains("relay_requests").doesNotContain(KEY).doesNotContain(URL_KEY);
    }
}
