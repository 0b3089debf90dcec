package io.github.relayllm.quarkus.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.langchain4j.model.chat.ChatModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.QuarkusUnitTest;

/** With Micrometer, every relay request is measured: requests, rounds, tokens by role, call ratio, latency. */
class MetricsTest {

    @RegisterExtension
    static final QuarkusUnitTest app = StubConfig.stubBackends(StubConfig.withClasses(), "quarkus.langchain4j.relay");

    @Inject
    ChatModel model;

    @Inject
    MeterRegistry registry;

    @Test
    void should_record_the_relay_metrics() {
        // when
        StubConfig.ask(model);

        // then
        assertThat(registry.get("relay.requests").tags("model", "default", "outcome", "success").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("relay.tokens").tags("role", "student").counter().count()).isEqualTo(9.0);
        assertThat(registry.get("relay.tokens").tags("role", "teacher").counter().count()).isEqualTo(5.0);
        assertThat(registry.get("relay.rounds").summary().totalAmount()).isEqualTo(1.0);
        assertThat(registry.get("relay.call.ratio").summary().totalAmount()).isEqualTo(5.0 / 14.0);
        assertThat(registry.get("relay.teacher.failures").counter().count()).isZero();
        assertThat(registry.get("relay.latency").tags("role", "student").timer().count()).isEqualTo(1);
        assertThat(registry.get("relay.latency").tags("role", "total").timer().count()).isEqualTo(1);
    }
}
