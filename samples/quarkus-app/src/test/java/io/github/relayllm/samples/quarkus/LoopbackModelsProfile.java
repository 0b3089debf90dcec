package io.github.relayllm.samples.quarkus;

import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The sample app with its relay on {@link LoopbackModelServers} instead of the embedded pair: an Ollama student and
 * an OpenAI-compatible teacher on loopback. System properties set the servers: {@code relay.loopback.modelMillis}
 * (model time per call, default 0), {@code relay.loopback.teacherFailureRate} (default 0.1),
 * {@code relay.loopback.teacherFailure} (the relay's {@code teacher-failure} policy, default
 * {@code continue-with-student}); {@link Timed} fixes the servers' settings for the load benchmark.
 */
public class LoopbackModelsProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Servers.class));
    }

    /** Model time 10 ms per call, no failures, threads enough for 64 calls at once: the load benchmark's servers. */
    public static class Timed implements QuarkusTestProfile {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Servers.class, Map.of("modelMillis", "10",
                    "teacherFailureRate", "0", "threads", "160")));
        }
    }

    /** Starts the servers with the app and points both backends at them. */
    public static class Servers implements QuarkusTestResourceLifecycleManager {

        private LoopbackModelServers servers;
        private Map<String, String> args = Map.of();

        @Override
        public void init(Map<String, String> initArgs) {
            args = initArgs;
        }

        @Override
        public Map<String, String> start() {
            servers = new LoopbackModelServers(Integer.parseInt(args.getOrDefault("modelMillis",
                    System.getProperty("relay.loopback.modelMillis", "0"))),
                    Double.parseDouble(args.getOrDefault("teacherFailureRate",
                            System.getProperty("relay.loopback.teacherFailureRate", "0.1"))),
                    Integer.parseInt(args.getOrDefault("threads", "72")));
            return Map.of(
                    "quarkus.langchain4j.relay.student.provider", "ollama",
                    "quarkus.langchain4j.relay.student.base-url", servers.studentUrl(),
                    "quarkus.langchain4j.relay.student.model-name", LoopbackModelServers.STUDENT_MODEL,
                    "quarkus.langchain4j.relay.student.timeout", "10s",
                    "quarkus.langchain4j.relay.teacher.provider", "openai",
                    "quarkus.langchain4j.relay.teacher.base-url", servers.teacherUrl(),
                    "quarkus.langchain4j.relay.teacher.model-name", LoopbackModelServers.TEACHER_MODEL,
                    "quarkus.langchain4j.relay.teacher.timeout", "10s",
                    "quarkus.langchain4j.relay.teacher-failure", System.getProperty("relay.loopback.teacherFailure",
                            "continue-with-student"));
        }

        @Override
        public void stop() {
            if (servers != null) {
                servers.close();
            }
        }
    }
}
