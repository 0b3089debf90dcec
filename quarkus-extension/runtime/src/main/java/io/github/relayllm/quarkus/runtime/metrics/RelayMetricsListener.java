package io.github.relayllm.quarkus.runtime.metrics;

import io.github.relayllm.langchain4j.RelayResponseMetadata;

import java.time.Duration;

import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkiverse.langchain4j.runtime.NamedConfigUtil;

/**
 * Records one relay model's requests in Micrometer: {@code relay.requests} (by outcome), {@code relay.rounds},
 * {@code relay.tokens} (by role), {@code relay.call.ratio}, {@code relay.teacher.failures} and
 * {@code relay.latency} (by role: student, teacher, total). Every meter has the tag {@code model}.
 */
final class RelayMetricsListener implements ChatModelListener {

    private static final double[] CALL_RATIO_BUCKETS = {0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0};

    /** Key of the request start time in the listener attributes; one object per listener, so never shared. */
    private final Object startKey = new Object();

    private final Counter successes;
    private final Counter errors;
    private final DistributionSummary rounds;
    private final Counter studentTokens;
    private final Counter teacherTokens;
    private final DistributionSummary callRatio;
    private final Counter teacherFailures;
    private final Timer studentLatency;
    private final Timer teacherLatency;
    private final Timer totalLatency;

    RelayMetricsListener(MeterRegistry registry, String configName) {
        String model = NamedConfigUtil.isDefault(configName) ? "default" : configName;
        successes = Counter.builder("relay.requests").description("Relay requests by outcome")
                .tags("model", model, "outcome", "success").register(registry);
        errors = Counter.builder("relay.requests").description("Relay requests by outcome")
                .tags("model", model, "outcome", "error").register(registry);
        rounds = DistributionSummary.builder("relay.rounds").description("Teacher calls per request")
                .tags("model", model).register(registry);
        studentTokens = Counter.builder("relay.tokens").description("Generated tokens by role")
                .tags("model", model, "role", "student").register(registry);
        teacherTokens = Counter.builder("relay.tokens").description("Generated tokens by role")
                .tags("model", model, "role", "teacher").register(registry);
        callRatio = DistributionSummary.builder("relay.call.ratio")
                .description("Teacher tokens / (student + teacher generated tokens) per request")
                .serviceLevelObjectives(CALL_RATIO_BUCKETS).tags("model", model).register(registry);
        teacherFailures = Counter.builder("relay.teacher.failures")
                .description("Teacher calls that failed (error or timeout)").tags("model", model).register(registry);
        studentLatency = Timer.builder("relay.latency").description("Time spent in each model per request")
                .tags("model", model, "role", "student").register(registry);
        teacherLatency = Timer.builder("relay.latency").description("Time spent in each model per request")
                .tags("model", model, "role", "teacher").register(registry);
        totalLatency = Timer.builder("relay.latency").description("Time spent in each model per request")
                .tags("model", model, "role", "total").register(registry);
    }

    @Override
    public void onRequest(ChatModelRequestContext context) {
        context.attributes().put(startKey, System.nanoTime());
    }

    @Override
    public void onResponse(ChatModelResponseContext context) {
        successes.increment();
        recordTotal(context.attributes().get(startKey));
        if (context.chatResponse() != null
                && context.chatResponse().metadata() instanceof RelayResponseMetadata relay) {
            rounds.record(relay.rounds());
            studentTokens.increment(relay.studentTokens());
            teacherTokens.increment(relay.teacherTokens());
            callRatio.record(relay.callRatio());
            teacherFailures.increment(relay.failedRounds());
            record(studentLatency, relay.studentLatency());
            record(teacherLatency, relay.teacherLatency());
        }
    }

    @Override
    public void onError(ChatModelErrorContext context) {
        errors.increment();
        recordTotal(context.attributes().get(startKey));
    }

    private void recordTotal(Object start) {
        if (start instanceof Long startNanos) {
            totalLatency.record(Duration.ofNanos(System.nanoTime() - startNanos));
        }
    }

    private static void record(Timer timer, Duration duration) {
        if (duration != null) {
            timer.record(duration);
        }
    }
}
