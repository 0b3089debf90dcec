package io.github.relayllm.quarkus.runtime.metrics;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;

/**
 * Entry point to the Micrometer metrics, called only when the application has Micrometer (so the Micrometer
 * classes are never loaded otherwise).
 */
public final class RelayMetrics {

    private RelayMetrics() {
    }

    /** A listener that records the relay metrics of the model {@code configName}. */
    public static ChatModelListener listener(String configName) {
        MeterRegistry registry = Arc.container().instance(MeterRegistry.class).get();
        return new RelayMetricsListener(registry, configName);
    }
}
