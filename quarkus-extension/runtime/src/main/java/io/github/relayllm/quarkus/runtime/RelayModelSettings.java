package io.github.relayllm.quarkus.runtime;

import io.github.relayllm.langchain4j.CallPolicy;
import io.github.relayllm.langchain4j.TeacherFailurePolicy;

import java.nio.file.Path;
import java.time.Duration;


/**
 * One relay model's configuration once checked: what {@link RelayConfigValidator} hands to the factories.
 *
 * @param configName the model name ({@code <default>} for the default model)
 * @param student where the student runs; {@code null} with {@code embedded}
 * @param teacher where the teacher runs; {@code null} with {@code embedded}
 * @param embedded whether the embedded tiny pair runs in process (no backend configured)
 * @param maxTeacherTokens {@code null} when unset
 */
record RelayModelSettings(String configName, Backend student, Backend teacher, boolean embedded,
        int maxCallTokens, int defaultCallTokens, int maxRounds, int maxTokens, Integer maxTeacherTokens,
        CallPolicy callPolicy, TeacherFailurePolicy teacherFailurePolicy) {

    /** The three ways a relay model can be reached. */
    enum Provider {
        OLLAMA("ollama"),
        OPENAI("openai"),
        LLAMA_CPP("llama-cpp");

        private final String configValue;

        Provider(String configValue) {
            this.configValue = configValue;
        }

        String configValue() {
            return configValue;
        }

        static Provider fromConfigValue(String value) {
            for (Provider provider : values()) {
                if (provider.configValue.equalsIgnoreCase(value.strip())) {
                    return provider;
                }
            }
            return null;
        }
    }

    /**
     * One checked backend: the fields its provider needs are set, the others may be null.
     *
     * @param property the property prefix that configures it, e.g. {@code quarkus.langchain4j.relay.student}
     */
    record Backend(String property, Provider provider, String baseUrl, String modelName, String apiKey,
            Duration timeout, Integer maxRetries, Path modelPath) {

        /** The base URL as messages show it: without user info, which may hold a key. */
        String displayBaseUrl() {
            if (baseUrl == null) {
                return null;
            }
            return baseUrl.replaceFirst("^(https?://)[^/@]*@", "$1");
        }

        @Override
        public String toString() {
            // never the API key
            return "Backend{" + property + ", provider=" + provider.configValue() + ", baseUrl=" + displayBaseUrl()
                    + ", modelName=" + modelName + ", maxRetries=" + maxRetries + ", modelPath=" + modelPath + '}';
        }
    }
}
