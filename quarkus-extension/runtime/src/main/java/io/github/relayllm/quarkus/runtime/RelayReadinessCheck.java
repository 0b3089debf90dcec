package io.github.relayllm.quarkus.runtime;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.quarkiverse.langchain4j.runtime.NamedConfigUtil;

/**
 * The readiness of one relay model: up when both its student and its teacher can serve (server reachable, model
 * present; or the in-process model loaded). Registered only when the application has SmallRye Health.
 */
final class RelayReadinessCheck implements HealthCheck {

    private final String configName;
    private final RelayBackends backends;
    private final BackendProbe probe = new BackendProbe();

    RelayReadinessCheck(String configName, RelayBackends backends) {
        this.configName = configName;
        this.backends = backends;
    }

    @Override
    public HealthCheckResponse call() {
        String model = NamedConfigUtil.isDefault(configName) ? "default" : configName;
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Relay model " + model);
        RelayModelSettings settings = backends.settings(configName);
        if (settings.embedded()) {
            // the embedded pair is loaded at start-up: the application would not be running otherwise
            return response.up().withData("student", "embedded " + EmbeddedPair.STUDENT)
                    .withData("teacher", "embedded " + EmbeddedPair.TEACHER).build();
        }
        BackendProbe.Result student = probe.probe(settings.student());
        BackendProbe.Result teacher = probe.probe(settings.teacher());
        return response.status(student.up() && teacher.up())
                .withData("student", student.message())
                .withData("teacher", teacher.message())
                .build();
    }
}
